/** Flaky networks and a busy service: apply still ends with every id deleted, and nothing submitted twice. */
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite("e2e: apply under injected faults");

test("20% 5xx, 10% 429 with Retry-After, 5% resets, a lost 202 and batch-status 404s: every id deleted, none submitted twice", async () => {
  const fleet = devices("dev", 200, "legacy");
  return withEmulator(
    {
      seed: world([...fleet, ...devices("keep", 5, "current")]),
      timing: { startDelayMs: 20, perIdMs: 1 },
      batchVisibleAfterMs: 150,
      // Random resets lose a 202 only now and then (half of 5% of a dozen POSTs): the second batch's is lost for certain.
      lostAcceptances: [2],
      faults: { failRate: 0.2, rateLimitRate: 0.1, retryAfterSeconds: 1, resetRate: 0.05, seed: 42 },
    },
    {
      "decom.yaml": manifestYaml(
        fleet.map((d) => d.id),
        ["legacy"],
      ),
    },
    async ({ emulator, dir }) => {
      const apply = await decom(["apply", "--auto-approve", "--batch-size", "20", "--parallelism", "3", "--unacknowledged-grace", "1s"], {
        cwd: dir,
        endpoint: emulator.url,
      });
      assert.is(apply.code, 0, apply.stdout + apply.stderr);
      assert.match(apply.stdout, "Apply complete: 201 deleted, 0 absent, 0 failed.");
      for (const d of fleet) assert.not.ok(emulator.tenant.resources.has(d.id), `${d.id} is gone`);
      assert.not.ok(emulator.tenant.resourceTypes.has("legacy"));
      assert.is(emulator.stats().idsAcceptedTwice, 0, "ids in two accepted batches: decom submitted an id the service had already taken");

      // Each injected fault was served at least once, or the run proves nothing about it.
      const served = emulator.stats().faults;
      for (const [fault, count] of Object.entries(served)) assert.ok(count > 0, `no ${fault} were served: ${JSON.stringify(served)}`);
      const state = readJsonFile(join(dir, "decom.state.json"));
      assert.is(state.inFlight, undefined, "nothing left in flight");
      assert.equal(
        Object.values(state.resources).filter((r) => (r as { status: string }).status !== "deleted"),
        [],
      );
    },
  );
});

test('statusCode sent as a string ("404,") is understood: the id is absent, not failed', async () => {
  return withEmulator(
    { seed: world(devices("dev", 3)), quirkyStatusCodes: true },
    { "decom.yaml": manifestYaml(["dev-0001", "dev-0002"]) },
    async ({ emulator, dir }) => {
      await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
      emulator.tenant.deleteResource("dev-0002");
      const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
      assert.is(apply.code, 0, apply.stdout + apply.stderr);
      assert.match(apply.stdout, "Apply complete: 1 deleted, 1 absent, 0 failed.");
    },
  );
});

test.run();
