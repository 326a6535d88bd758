/** Following batches to their end, including the service's eventual consistency. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { executePlan, resumeInFlight } from "../../src/apply/execute.js";
import { WaylayClient } from "../../src/waylay/client.js";
import { Transport } from "../../src/waylay/transport.js";
import { StateSession } from "../../src/state/session.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { planDeleting } from "../helpers/plan.js";
import { devices, world } from "../helpers/world.js";

function session(dir: string): StateSession {
  return StateSession.open({
    statePath: join(dir, "decom.state.json"),
    shownAs: "decom.state.json",
    endpoint: "http://x",
    newLineage: randomUUID,
  });
}
const now = () => new Date();

const test = suite("apply: following batches");

test("a batch whose status answers 404 for a while after it is accepted is polled until it is seen, and its ids are deleted", async () => {
  return withEmulator(
    { seed: world(devices("dev", 4)), batchVisibleAfterMs: 400, timing: { startDelayMs: 0, perIdMs: 0 } },
    {},
    async ({ emulator, dir }) => {
      const api = new WaylayClient(new Transport({ endpoint: emulator.url }));
      const totals = await executePlan(
        planDeleting(
          devices("dev", 4).map((d) => d.id),
          4,
        ),
        api,
        session(dir),
        { parallelism: 1, now },
      );
      assert.equal([totals.deleted, totals.absent, totals.failed, totals.inFlight], [4, 0, 0, 0]);
      const hidden = emulator.stats().faults.hiddenBatchStatuses;
      assert.ok(hidden >= 1, `the status answered 404 at least once (${hidden} times): otherwise this proves nothing`);
      assert.ok(emulator.count("GET", "/resources/v1/batch/") > hidden, "it polled through the 404s");
    },
  );
});

test("a batch whose status stays 404 is left in flight, not resubmitted; resuming settles it from the evidence once final", async () => {
  // The batch runs (the emulator processes it) but its status answers 404 throughout.
  return withEmulator({ seed: world(devices("dev", 2)), batchVisibleAfterMs: 60_000 }, {}, async ({ emulator, dir }) => {
    const api = new WaylayClient(new Transport({ endpoint: emulator.url }));
    const s = session(dir);
    const totals = await executePlan(planDeleting(["dev-0001", "dev-0002"], 2), api, s, {
      parallelism: 1,
      now,
      unacknowledgedGraceMs: 300,
    });
    assert.equal([totals.deleted, totals.failed, totals.inFlight], [0, 0, 2]);
    assert.is(s.inFlightBatches().length, 1, "the batch stays journaled in flight");
    const resumed = await resumeInFlight(api, s, { parallelism: 1, now, unacknowledgedGraceMs: 300 });
    // Still unknown, but the evidence is final: both ids are gone.
    assert.equal([resumed.deleted, resumed.failed, resumed.inFlight], [2, 0, 0]);
    assert.equal(s.inFlightBatches(), []);
    assert.is(emulator.batches.batches.size, 1, "nothing was submitted again");
  });
});

test("a wave of six batches run with parallelism 3 has exactly 3 in flight at its peak", async () => {
  return withEmulator({ seed: world(devices("dev", 12)), timing: { startDelayMs: 40, perIdMs: 0 } }, {}, async ({ emulator, dir }) => {
    const api = new WaylayClient(new Transport({ endpoint: emulator.url }));
    let inFlight = 0;
    let peak = 0;
    const totals = await executePlan(
      planDeleting(
        devices("dev", 12).map((d) => d.id),
        2,
      ),
      api,
      session(dir),
      {
        parallelism: 3,
        now,
        onEvent: (e) => {
          if (e.type === "batch-submitted") peak = Math.max(peak, ++inFlight);
          if (e.type === "batch-finished") inFlight--;
        },
      },
    );
    assert.equal([totals.deleted, totals.absent, totals.failed], [12, 0, 0]);
    assert.is(peak, 3);
  });
});

test.run();
