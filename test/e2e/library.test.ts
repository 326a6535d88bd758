/** decom as a library: the same plan, apply and show the CLI is built on. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { apply, DecomError, plan, show, startEmulator, type ApplyEvent, type Continuation } from "../../src/index.js";
import { manifestYaml, workspace } from "../helpers/decom.js";
import { assertValid } from "../helpers/schemas.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite("e2e: library API");

test("plan → saved plan → apply → show, with typed results and events", async () => {
  return withEmulator(
    { seed: world(devices("dev", 5)) },
    { "decom.yaml": manifestYaml(["dev-0001", "dev-0002", "ghost"]) },
    async ({ emulator, dir }) => {
      const env = { WAYLAY_GATEWAY_URL: emulator.url };
      const reviewed = await plan({ cwd: dir, env, out: "plan.json" });
      assert.equal(
        reviewed.changes.map((c) => `${c.action}:${c.id}`),
        ["delete:dev-0001", "delete:dev-0002", "absent:ghost"],
      );
      assert.ok(existsSync(join(dir, "plan.json")));

      const events: ApplyEvent["type"][] = [];
      const outcome = await apply({ cwd: dir, env, plan: "plan.json", onEvent: (e) => events.push(e.type) });
      assert.is(outcome.status, "applied");
      if (outcome.status === "applied") assert.equal([outcome.result.deleted, outcome.result.absent, outcome.result.failed], [2, 1, 0]);
      assert.equal(events, ["wave-started", "batch-submitted", "batch-finished", "wave-finished"]);
      assertValid("state", readJsonFile(join(dir, "decom.state.json")));

      assert.match(show("decom.state.json", { cwd: dir }), "2 deleted, 1 absent, 0 failed.");
      assert.match(show("plan.json", { cwd: dir, format: "markdown" }), "### decom plan: 2 to delete, 1 already absent, 0 to forget");
    },
  );
});

test("apply without a saved plan plans, asks approve, and respects a no", async () => {
  return withEmulator({ seed: world(devices("dev", 2)) }, { "decom.yaml": manifestYaml(["dev-0001"]) }, async ({ emulator, dir }) => {
    const env = { WAYLAY_GATEWAY_URL: emulator.url };
    const err = await apply({ cwd: dir, env }).catch((e: unknown) => e);
    assert.instance(err, DecomError);
    let asked = 0;
    const no = await apply({ cwd: dir, env, approve: () => (asked++, false) });
    assert.equal([no.status, asked, emulator.count("POST")], ["cancelled", 1, 0]);
    const yes = await apply({ cwd: dir, env, approve: async (p) => p.changes.length === 1 });
    assert.is(yes.status, "applied");
    assert.not.ok(emulator.tenant.resources.has("dev-0001"));
  });
});

test("halted: nothing is sent, journaled or written after apply returns and the lock is released", async () => {
  // Every answer takes 300 ms: the batch is accepted, and its 202 is still on the way, when the second interrupt comes.
  const stop = new AbortController();
  const halt = new AbortController();
  const emulator = await startEmulator({
    seed: world(devices("dev", 30)),
    faults: { latencyMs: 300 },
    onBatchAccepted: () => {
      stop.abort();
      halt.abort();
    },
  });
  const { dir, remove } = workspace({ "decom.yaml": manifestYaml(devices("dev", 30).map((d) => d.id)) });
  try {
    const env = { WAYLAY_GATEWAY_URL: emulator.url, HOME: dir };
    await plan({ cwd: dir, env, out: "plan.json", batchSize: 10 });
    const outcome = await apply({ cwd: dir, env, plan: "plan.json", parallelism: 1, stop: stop.signal, halt: halt.signal });
    assert.is(outcome.status, "halted");
    const files = () =>
      ["decom.state.json", "decom.state.json.journal", "decom.state.json.lock"].map((name) =>
        existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : null,
      );
    const atReturn = files();
    const requests = emulator.requests.length;
    assert.ok(atReturn[0] !== null && atReturn[1] === null && atReturn[2] === null, "state written, journal compacted, lock released");
    assert.match(atReturn[0]!, '"inFlight"', "the batch whose answer was cut off is recorded in flight");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(files(), atReturn, "nothing written after the lock was released");
    assert.is(emulator.requests.length, requests, "no request after apply returned");
    assert.is(emulator.count("POST"), 1);

    // The next run settles the batch from evidence, then continues the saved plan's own apply to its end.
    const continued: Continuation[] = [];
    const next = await apply({ cwd: dir, env, plan: "plan.json", unacknowledgedGraceMs: 500, onContinue: (c) => continued.push(c) });
    assert.is(next.status, "applied");
    assert.equal(continued, [{ started: continued[0]!.started, deletions: 30, remaining: 20, failedBefore: 0 }]);
    const state = readJsonFile(join(dir, "decom.state.json"));
    assert.is(state.inFlight, undefined);
    assert.is(Object.values(state.resources as Record<string, { status: string }>).filter((r) => r.status === "deleted").length, 30);
    assert.is(emulator.stats().idsAcceptedTwice, 0);
  } finally {
    remove();
    await emulator.close();
  }
});

test.run();
