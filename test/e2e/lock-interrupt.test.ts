/** One decom per state at a time, and Ctrl-C that never loses an outcome. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { EmulatorOptions } from "../../src/emulator/server.js";
import { spawnDecom, waitFor } from "../helpers/child.js";
import { decom, manifestYaml } from "../helpers/decom.js";
import { assertFileValid } from "../helpers/schemas.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite("e2e: lock and interrupts");
const fleet = devices("dev", 50, "legacy");
const ids = fleet.map((d) => d.id);
const lockOf = (dir: string) => join(dir, "decom.state.json.lock");

function holder(pid: number) {
  return JSON.stringify({ pid, host: hostname(), time: "2026-11-29T10:00:00.000Z", command: "decom apply plan.json" });
}

test("a held lock makes apply fail at once, naming the holder, and nothing is sent", async () => {
  return withEmulator(
    { seed: world(fleet) },
    { "decom.yaml": manifestYaml(ids), "decom.state.json.lock": holder(process.pid) },
    async ({ emulator, dir }) => {
      const started = Date.now();
      const result = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
      assert.ok(Date.now() - started < 5000);
      assert.is(result.code, 1);
      assert.match(
        result.stderr,
        `the state is locked by "decom apply plan.json" (pid ${process.pid} on ${hostname()}, since 2026-11-29T10:00:00.000Z)`,
      );
      assert.is(emulator.requests.length, 0);
      const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
      assert.is(plan.code, 1, "plan waits for no apply either");
      const unlock = await decom(["force-unlock"], { cwd: dir });
      assert.is(unlock.code, 1, "force-unlock refuses while the holder runs");
      assert.match(unlock.stderr, "which is still running; stop it first");
      assert.ok(existsSync(lockOf(dir)));
    },
  );
});

test("a stale lock (its process is gone) is reported with the command to run; force-unlock removes it", async () => {
  const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  const deadPid = Number(gone.stdout);
  return withEmulator(
    { seed: world(fleet) },
    { "decom.yaml": manifestYaml(ids), "decom.state.json.lock": holder(deadPid) },
    async ({ emulator, dir }) => {
      const result = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
      assert.is(result.code, 1);
      assert.match(result.stderr, `decom.state.json.lock is stale: it was taken by "decom apply plan.json" (pid ${deadPid}`);
      assert.match(result.stderr, "If no other decom is running, remove it with: decom force-unlock");
      const unlock = await decom(["force-unlock"], { cwd: dir });
      assert.is(unlock.code, 0, unlock.stderr);
      assert.match(unlock.stdout, `Removed decom.state.json.lock, taken by "decom apply plan.json" (pid ${deadPid}`);
      assert.not.ok(existsSync(lockOf(dir)));
      assert.is((await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0);
      assert.not.ok(existsSync(lockOf(dir)), "released after apply");
    },
  );
});

/** Each batch of 10 takes about a second: time to press Ctrl-C while one is running. */
const SLOW_WORLD: EmulatorOptions = {
  seed: world([...fleet, ...devices("keep", 2, "current")]),
  timing: { startDelayMs: 10, perIdMs: 100 },
};

test("first Ctrl-C: no new batch, the one in flight followed to its end and recorded, exit 130", async () => {
  return withEmulator(SLOW_WORLD, { "decom.yaml": manifestYaml(ids) }, async ({ emulator, dir }) => {
    const child = spawnDecom(["apply", "--auto-approve", "--batch-size", "10", "--parallelism", "1"], dir, {
      WAYLAY_GATEWAY_URL: emulator.url,
    });
    await waitFor(() => emulator.batches.batches.size === 1, 15_000, "first batch");
    child.process.kill("SIGINT");
    const result = await child.done;
    assert.is(result.code, 130, result.stdout + result.stderr);
    assert.match(result.stderr, "Interrupt: submitting no more batches; following those in flight to their end.");
    assert.match(result.stdout, "Apply interrupted: 10 deleted, 0 absent, 0 failed.");
    assert.match(result.stdout, "40 ids not submitted: plan again to finish.");
    assert.is(emulator.batches.batches.size, 1, "nothing submitted after the interrupt");
    assertFileValid("state", join(dir, "decom.state.json"));
    const state = readJsonFile(join(dir, "decom.state.json"));
    assert.is(Object.keys(state.resources).length, 10);
    assert.is(state.inFlight, undefined, "the batch was followed to its end");
    assert.not.ok(existsSync(lockOf(dir)) || existsSync(join(dir, "decom.state.json.journal")));
  });
});

test("second Ctrl-C: stops at once with the batch in flight recorded; the next apply follows it and finishes", async () => {
  return withEmulator(SLOW_WORLD, { "decom.yaml": manifestYaml(ids) }, async ({ emulator, dir }) => {
    const child = spawnDecom(["apply", "--auto-approve", "--batch-size", "10", "--parallelism", "1"], dir, {
      WAYLAY_GATEWAY_URL: emulator.url,
    });
    await waitFor(() => child.output().stdout.includes("Wave 1/1"), 15_000, "apply started");
    await waitFor(() => emulator.batches.batches.size === 1, 15_000, "first batch");
    await waitFor(
      () =>
        existsSync(join(dir, "decom.state.json.journal")) &&
        readFileSync(join(dir, "decom.state.json.journal"), "utf8").includes('"accepted"'),
      15_000,
      "accepted journaled",
    );
    child.process.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    child.process.kill("SIGINT");
    const result = await child.done;
    assert.ok(Date.now() - started < 2000, "exits at once");
    assert.is(result.code, 130, result.stdout + result.stderr);
    assert.match(result.stderr, "Stopped at once. 1 batch (10 ids) still in flight is recorded in decom.state.json");
    assertFileValid("state", join(dir, "decom.state.json"));
    const state = readJsonFile(join(dir, "decom.state.json"));
    assert.is(state.inFlight.length, 1);
    assert.is(state.inFlight[0].batchId, [...emulator.batches.batches.keys()][0]);

    const again = await decom(["apply", "--auto-approve", "--batch-size", "25"], { cwd: dir, endpoint: emulator.url });
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, "Recovered an interrupted apply: 1 batch followed to its end (10 deleted, 0 absent, 0 failed).");
    assert.match(again.stdout, "Apply complete: 40 deleted, 0 absent, 0 failed.");
    for (const id of ids) assert.not.ok(emulator.tenant.resources.has(id));
    assert.is(emulator.stats().idsAcceptedTwice, 0, "ids in two accepted batches: decom submitted an id the service had already taken");
  });
});

test("a journal cut short by a crash mid-line is replayed up to its last whole record", async () => {
  return withEmulator({ seed: world(fleet) }, { "decom.yaml": manifestYaml(ids.slice(0, 2)) }, async ({ emulator, dir }) => {
    const lineage = "0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d";
    writeFileSync(
      join(dir, "decom.state.json.journal"),
      [
        JSON.stringify({ begin: { lineage, serial: 0, inherited: 0 } }),
        JSON.stringify({ recorded: { kind: "resource", absent: { "ghost-1": "id" }, forget: [], time: "2026-11-29T10:00:00.000Z" } }),
        '{"submit":{"seq":0,"kind":"reso',
      ].join("\n"),
    );
    const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stderr);
    const state = readJsonFile(join(dir, "decom.state.json"));
    assert.is(state.lineage, lineage);
    assert.is(state.resources["ghost-1"].status, "absent");
    assert.not.ok(existsSync(join(dir, "decom.state.json.journal")));
  });
});

test("a corrupt journal line in the middle is refused, untouched", async () => {
  return withEmulator({}, { "decom.yaml": manifestYaml(["a"]) }, async ({ emulator, dir }) => {
    const journal = '{"begin":{"lineage":"0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d","serial":0,"inherited":0}}\n{oops\n{"dropped":{}}\n';
    writeFileSync(join(dir, "decom.state.json.journal"), journal);
    const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 1);
    assert.match(plan.stderr, "decom.state.json.journal:2: not a journal record (not JSON); the journal was not modified");
    assert.is(readFileSync(join(dir, "decom.state.json.journal"), "utf8"), journal);
    assert.not.ok(existsSync(lockOf(dir)), "the lock is released on the way out");
  });
});

test.run();
