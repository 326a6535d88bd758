/** Following batches to their end, including the service's eventual consistency. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { executePlan } from "../../src/apply/execute.js";
import type { IdOutcome } from "../../src/apply/outcomes.js";
import { startEmulator } from "../../src/emulator/server.js";
import type { Plan } from "../../src/plan/model.js";
import { WaylayClient } from "../../src/waylay/client.js";
import { Transport } from "../../src/waylay/transport.js";
import { devices, world } from "../helpers/world.js";

const test = suite("apply: following batches");

function planFor(ids: string[], batchSize: number): Plan {
  const batches = [];
  for (let i = 0; i < ids.length; i += batchSize) {
    batches.push({ body: { entity: "resource" as const, action: "delete" as const, query: { ids: ids.slice(i, i + batchSize) }, actionParameters: { cascade: [] } } });
  }
  return {
    formatVersion: 1,
    decomVersion: "test",
    endpoint: "",
    manifest: { sha256: "0".repeat(64) },
    state: { lineage: null, serial: 0 },
    batchSize,
    targets: [],
    selectors: [],
    blockers: [],
    changes: ids.map((id) => ({ kind: "resource", id, action: "delete", reason: "in the manifest", entry: "id", cascade: [] })),
    waves: [{ kind: "resource", batches }],
  };
}

test("a batch status 404 shortly after creation is retried, not fatal", async () => {
  const emulator = await startEmulator({ seed: world(devices("dev", 4)), batchVisibleAfterMs: 400, timing: { startDelayMs: 0, perIdMs: 0 } });
  try {
    const api = new WaylayClient(new Transport({ endpoint: emulator.url }));
    const outcomes: IdOutcome[] = [];
    const totals = await executePlan(planFor(devices("dev", 4).map((d) => d.id), 4), api, {
      parallelism: 1,
      onOutcomes: (_kind, o) => outcomes.push(...o),
    });
    assert.equal(totals, { deleted: 4, absent: 0, failed: 0 });
    assert.ok(emulator.count("GET", "/resources/v1/batch/") >= 2, "it polled through the 404s");
  } finally {
    await emulator.close();
  }
});

test("a batch that stays unknown past the grace period is reported lost, its ids failed with the reason", async () => {
  const emulator = await startEmulator({ seed: world(devices("dev", 2)), batchVisibleAfterMs: 60_000 });
  try {
    const api = new WaylayClient(new Transport({ endpoint: emulator.url }));
    const outcomes: IdOutcome[] = [];
    const totals = await executePlan(planFor(["dev-0001", "dev-0002"], 2), api, {
      parallelism: 1,
      notFoundGraceMs: 300,
      onOutcomes: (_kind, o) => outcomes.push(...o),
    });
    assert.equal(totals, { deleted: 0, absent: 0, failed: 2 });
    assert.match(outcomes[0]!.error!, /^lost track of batch [0-9a-f-]+: batch [0-9a-f-]+ is unknown to the server \(404 for \d+ s after it was accepted\); the next plan checks these ids again$/);
  } finally {
    await emulator.close();
  }
});

test("at most --parallelism batches are in flight within a wave", async () => {
  const emulator = await startEmulator({ seed: world(devices("dev", 12)), timing: { startDelayMs: 40, perIdMs: 0 } });
  try {
    const api = new WaylayClient(new Transport({ endpoint: emulator.url }));
    let inFlight = 0;
    let peak = 0;
    const totals = await executePlan(planFor(devices("dev", 12).map((d) => d.id), 2), api, {
      parallelism: 3,
      onEvent: (e) => {
        if (e.type === "batch-submitted") peak = Math.max(peak, ++inFlight);
        if (e.type === "batch-finished") inFlight--;
      },
      onOutcomes: () => {},
    });
    assert.equal(totals, { deleted: 12, absent: 0, failed: 0 });
    assert.is(peak, 3);
  } finally {
    await emulator.close();
  }
});

test.run();
