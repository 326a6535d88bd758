/** Ctrl-C at the approval question, at a real terminal: the apply is cancelled, nothing is sent, exit 130. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnDecom, waitFor } from "../helpers/child.js";
import { decom, manifestYaml } from "../helpers/decom.js";
import { inTerminal } from "../helpers/terminal.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: Ctrl-C at the question");

test("Ctrl-C at 'Enter a value:' cancels the apply: nothing sent, no word of batches in flight, exit 130", async () => {
  await withEmulator(
    { seed: world(devices("dev", 3)) },
    { "decom.yaml": manifestYaml(["dev-0001", "dev-0002"]) },
    async ({ emulator, dir }) => {
      const run = inTerminal(["apply", "--no-color"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
      await waitFor(() => run.screen().includes("Enter a value:"), 15_000, "the question");
      run.type("\u0003");
      const code = await run.done;
      const screen = run.screen();
      assert.is(code, 130, screen);
      assert.match(screen, /Apply cancelled/);
      assert.match(screen, "Nothing was sent", screen);
      assert.not.match(screen, "in flight", "nothing is in flight: saying so would mislead");
      assert.is(emulator.count("POST"), 0, "nothing sent");
      assert.is(emulator.tenant.resources.size, 3);
      assert.not.ok(existsSync(join(dir, "decom.state.json.lock")), "lock released");
    },
  );
});

test("Ctrl-C while apply PLAN re-checks the manifest's selectors: cancelled, nothing sent, no state claimed", async () => {
  await withEmulator(
    { seed: world(devices("dev", 40, "legacy")), maxPageSize: 5, faults: { latencyMs: 150 } },
    { "decom.yaml": "version: 1\nresources:\n  - select: { resourceTypeId: legacy }\n" },
    async ({ emulator, dir }) => {
      assert.is((await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url })).code, 0);
      const listedBefore = emulator.count("GET");
      const child = spawnDecom(["apply", "plan.json"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
      await waitFor(() => emulator.count("GET") > listedBefore, 15_000, "the selector re-check");
      child.process.kill("SIGINT");
      const result = await child.done;
      assert.is(result.code, 130, result.stderr);
      assert.match(result.stderr, "Apply cancelled by the interrupt. Nothing was sent.");
      assert.not.match(result.stdout, "State written", "nothing was written: none is claimed");
      assert.not.match(result.stderr, "not started");
      assert.is(emulator.count("POST"), 0);
    },
  );
});

test("plan --json interrupted: the reason is a diagnostic line on stdout, as every --json error is", async () => {
  await withEmulator(
    { seed: world(devices("dev", 40, "legacy")), maxPageSize: 5, faults: { latencyMs: 150 } },
    { "decom.yaml": "version: 1\nresources:\n  - select: { resourceTypeId: legacy }\n" },
    async ({ emulator, dir }) => {
      const child = spawnDecom(["plan", "--json"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
      await waitFor(() => emulator.count("GET") > 0, 15_000, "the first listing");
      child.process.kill("SIGINT");
      const result = await child.done;
      assert.is(result.code, 130, result.stderr);
      const last = JSON.parse(result.stdout.trimEnd().split("\n").at(-1) ?? "null") as {
        type: string;
        code: string;
        severity: string;
      } | null;
      assert.equal([last?.type, last?.code, last?.severity], ["diagnostic", "interrupted", "error"], result.stdout);
    },
  );
});

test("apply --json stopped at once (second Ctrl-C): the summary counts ids in flight, as everywhere else", async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `dev-${String(i + 1).padStart(4, "0")}`);
  return withEmulator(
    { seed: world(devices("dev", 30, "legacy")), timing: { startDelayMs: 10, perIdMs: 100 } },
    { "decom.yaml": manifestYaml(ids) },
    async ({ emulator, dir }) => {
      const child = spawnDecom(["apply", "--auto-approve", "--json", "--batch-size", "10", "--parallelism", "1"], dir, {
        WAYLAY_GATEWAY_URL: emulator.url,
      });
      await waitFor(() => emulator.batches.batches.size === 1, 15_000, "the first batch");
      child.process.kill("SIGINT");
      await new Promise((r) => setTimeout(r, 200));
      child.process.kill("SIGINT");
      const result = await child.done;
      assert.is(result.code, 130, result.stderr);
      const summary = JSON.parse(result.stdout.trimEnd().split("\n").at(-1) ?? "null") as {
        type: string;
        status: string;
        inFlight: number;
      };
      assert.equal([summary.type, summary.status, summary.inFlight], ["apply_summary", "halted", 10], result.stdout.slice(-600));
    },
  );
});

test.run();
