/**
 * A batch the service no longer knows (its status answers 404 long after its
 * 202) may still be running: its ids stay in flight, no later wave starts, none
 * of them is submitted again, and the next apply settles them once the batch is
 * known again or the evidence (which ids still exist) is final.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/server.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite("e2e: a batch the service loses track of");

const fleet = devices("dev", 30, "legacy");
const APPLY = ["apply", "--auto-approve", "--batch-size", "10", "--parallelism", "1", "--unacknowledged-grace", "1s"];

/**
 * Runs `work` on an emulator that loses track of a batch as `unknownBatch`
 * says, and a folder whose manifest deletes the fleet and its type.
 */
function withLostBatch(
  unknownBatch: EmulatorOptions["unknownBatch"],
  work: (context: { emulator: Emulator; dir: string }) => Promise<void>,
): Promise<void> {
  return withEmulator(
    { seed: world(fleet), unknownBatch, timing: { startDelayMs: 5, perIdMs: 0.1 } },
    {
      "decom.yaml": manifestYaml(
        fleet.map((d) => d.id),
        ["legacy"],
      ),
    },
    work,
  );
}

const state = (dir: string) => readJsonFile(join(dir, "decom.state.json"));
const batchNumber = (emulator: Emulator, n: number) => [...emulator.batches.batches.values()].find((b) => b.seq === n);

/** The first apply: batch 2 is unknown to the service past the grace. */
async function firstApply(emulator: Emulator, dir: string) {
  const apply = await decom(APPLY, { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1, apply.stdout + apply.stderr);
  assert.match(apply.stdout, "Apply incomplete: 20 deleted, 0 absent, 0 failed.");
  assert.match(apply.stdout, "10 ids still in flight, recorded in the state");
  assert.match(apply.stderr, "Wave 2 and later were not started: a batch of the previous wave is still in flight.");
  assert.is(emulator.count("POST"), 3, "three resource batches, and no type batch while one is unsettled");
  assert.ok(emulator.tenant.resourceTypes.has("legacy"));
  const inFlight = state(dir).inFlight as { batchId?: string; ids: Record<string, string> }[];
  assert.is(inFlight.length, 1);
  assert.equal(
    Object.keys(inFlight[0]!.ids),
    fleet.slice(10, 20).map((d) => d.id),
  );
  return inFlight[0]!.batchId;
}

test("a batch that answers 404 past the grace stays in flight; the next apply follows it once it is known again", async () => {
  return withLostBatch({ nth: 2, forMs: 2500 }, async ({ emulator, dir }) => {
    const batchId = await firstApply(emulator, dir);
    assert.is(batchId, batchNumber(emulator, 2)?.id, "the state points at the batch the service accepted");
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const again = await decom(APPLY, { cwd: dir, endpoint: emulator.url });
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, "Recovered an interrupted apply: 1 batch followed to its end (10 deleted, 0 absent, 0 failed)");
    assert.match(again.stdout, "Apply complete: 1 deleted, 0 absent, 0 failed.");
    assert.is(emulator.stats().idsAcceptedTwice, 0, "ids in two accepted batches: decom submitted an id the service had already taken");
    const records = state(dir).resources as Record<string, { status: string; batchId?: string }>;
    for (const d of fleet.slice(10, 20)) assert.equal(records[d.id], { ...records[d.id], status: "deleted", batchId });
    assert.is(state(dir).inFlight, undefined);
    assert.not.ok(emulator.tenant.resourceTypes.has("legacy"));
  });
});

test("a batch the service never runs: its ids are settled from the evidence once it is final, then planned again", async () => {
  return withLostBatch({ nth: 2, dropped: true }, async ({ emulator, dir }) => {
    await firstApply(emulator, dir);
    const again = await decom(APPLY, { cwd: dir, endpoint: emulator.url });
    assert.is(again.code, 0, again.stdout + again.stderr);
    // Unknown, and its ids unchanged for the grace: the batch did not delete them.
    assert.match(again.stdout, "Recovered an interrupted apply: 1 batch followed to its end (0 deleted, 0 absent, 10 failed)");
    assert.match(again.stdout, "retrying: last attempt failed");
    assert.match(again.stdout, "Apply complete: 11 deleted, 0 absent, 0 failed.");
    for (const d of fleet) assert.not.ok(emulator.tenant.resources.has(d.id));
    assert.is(emulator.stats().idsAcceptedTwice, 0, "ids in two accepted batches: decom submitted an id the service had already taken");
  });
});

test("while a lost batch's ids keep changing, they are neither settled nor submitted again", async () => {
  // The service forgot the batch, yet its ids disappear one by one, as a batch still running would delete them.
  const ids = fleet.slice(0, 10).map((d) => d.id);
  let deleter: NodeJS.Timeout | undefined;
  const emulator = await startEmulator({
    seed: world(fleet),
    unknownBatch: { nth: 1, dropped: true },
    onBatchAccepted: () => {
      const left = [...ids];
      deleter = setInterval(() => (left.length > 0 ? emulator.tenant.deleteResource(left.shift()!) : clearInterval(deleter)), 400);
    },
  });
  const { dir, remove } = workspace({ "decom.yaml": manifestYaml(ids) });
  try {
    const first = await decom(APPLY, { cwd: dir, endpoint: emulator.url });
    assert.is(first.code, 1, first.stdout + first.stderr);
    assert.match(first.stdout, "10 ids still in flight");
    const plan = await decom(["plan", "--unacknowledged-grace", "1s", "--batch-timeout", "1500ms"], { cwd: dir, endpoint: emulator.url });
    // Still changing when the watch ends: left in flight, and the plan is blocked rather than planning those ids again.
    assert.is(plan.code, 1, plan.stdout + plan.stderr);
    assert.match(plan.stderr, /batch [0-9a-f-]+ of an earlier apply is still in flight with \d+ resources? this plan would delete again/);
    while (emulator.tenant.resources.has(ids[9]!)) await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await decom(APPLY, { cwd: dir, endpoint: emulator.url });
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /Recovered an interrupted apply: 1 batch followed to its end \(\d+ deleted/);
    assert.is(emulator.count("POST"), 1, "never submitted again");
    const records = state(dir).resources as Record<string, { status: string }>;
    assert.equal(Object.keys(records).sort(), ids);
    assert.equal(new Set(Object.values(records).map((r) => r.status)), new Set(["deleted"]));
  } finally {
    clearInterval(deleter);
    remove();
    await emulator.close();
  }
});

test("a POST never acknowledged whose ids all still exist: recovery says they were never taken, and the plan has them again", async () => {
  return withEmulator({ seed: world(fleet) }, { "decom.yaml": manifestYaml(["dev-0001", "dev-0002"]) }, async ({ emulator, dir }) => {
    const journal = [
      { begin: { lineage: "0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d", serial: 0, inherited: 0 } },
      { submit: { seq: 0, kind: "resource", ids: { "dev-0001": "id", "dev-0002": "id" }, time: "2026-01-01T00:00:00.000Z" } },
    ];
    writeFileSync(join(dir, "decom.state.json.journal"), journal.map((r) => JSON.stringify(r) + "\n").join(""));
    const plan = await decom(["plan", "--unacknowledged-grace", "1s"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(
      plan.stdout,
      "Recovered an interrupted apply: 1 batch followed to its end (0 deleted, 0 absent, 0 failed, 2 never taken (planned again)).",
    );
    assert.match(plan.stdout, "Plan: 2 to delete, 0 already absent, 0 to forget.");
    assert.is(emulator.count("POST"), 0);
  });
});

test.run();
