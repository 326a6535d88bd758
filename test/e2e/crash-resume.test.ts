/**
 * decom apply killed outright (SIGKILL, as a CI runner that dies) and run
 * again: every planned id ends deleted or absent, the service never accepted an
 * id twice, and the state is valid.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/server.js";
import { spawnDecom, waitFor } from "../helpers/child.js";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { assertFileValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite("e2e: crash and resume");
const fleet = devices("dev", 60, "legacy");
const ids = fleet.map((d) => d.id);

/** Starts an apply in a child process, kills it (SIGKILL) once `when` returns, then runs `after` on the emulator and folder it left. */
async function killDuringApply(
  when: (emulator: Emulator, dir: string, onAccepted: { fired: boolean }) => Promise<void>,
  perIdMs: number,
  after: (emulator: Emulator, dir: string) => Promise<void>,
): Promise<void> {
  const accepted = { fired: false };
  const options = {
    seed: world([...fleet, ...devices("keep", 3, "current")]),
    timing: { startDelayMs: 10, perIdMs },
    onBatchAccepted: () => (accepted.fired = true),
  };
  return withEmulator(options, { "decom.yaml": manifestYaml(ids, ["legacy"]) }, async ({ emulator, dir }) => {
    const child = spawnDecom(["apply", "--auto-approve", "--batch-size", "10", "--parallelism", "1", "--unacknowledged-grace", "5s"], dir, {
      WAYLAY_GATEWAY_URL: emulator.url,
    });
    await when(emulator, dir, accepted);
    child.process.kill("SIGKILL");
    const killed = await child.done;
    assert.is(killed.signal, "SIGKILL");
    await after(emulator, dir);
  });
}

async function runAgainAndCheck(emulator: Emulator, dir: string) {
  // The killed process left its lock: reported as stale, with the command to run.
  const locked = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
  assert.is(locked.code, 1);
  assert.match(locked.stderr, 'decom.state.json.lock is stale: it was taken by "decom apply"');
  assert.match(locked.stderr, "remove it with: decom force-unlock");
  assert.is((await decom(["force-unlock"], { cwd: dir })).code, 0);

  const again = await decom(["apply", "--auto-approve", "--unacknowledged-grace", "5s"], { cwd: dir, endpoint: emulator.url });
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, "Recovered an interrupted apply");
  assertFileValid("state", join(dir, "decom.state.json"));
  const state = readJsonFile(join(dir, "decom.state.json"));
  for (const id of ids)
    assert.ok(["deleted", "absent"].includes(state.resources[id]?.status), `${id}: ${JSON.stringify(state.resources[id])}`);
  assert.is(state.resourceTypes.legacy.status, "deleted");
  assert.is(state.inFlight, undefined);
  assert.not.ok(existsSync(join(dir, "decom.state.json.journal")), "journal compacted away");
  for (const id of ids) assert.not.ok(emulator.tenant.resources.has(id));
  assert.ok(emulator.tenant.resources.has("keep-0001"));
  assert.is(emulator.stats().idsAcceptedTwice, 0, "ids in two accepted batches: decom submitted an id the service had already taken");
  const next = await decom(["plan", "--detailed-exitcode"], { cwd: dir, endpoint: emulator.url });
  assert.is(next.code, 0, next.stdout);
}

test("killed right after its first batch is accepted (the 202 may not have arrived): resumed from evidence", () =>
  killDuringApply(
    async (_e, _d, accepted) => waitFor(() => accepted.fired, 15_000, "first batch accepted"),
    2,
    async (emulator, dir) => {
      assert.is(emulator.batches.batches.size, 1);
      await runAgainAndCheck(emulator, dir);
    },
  ));

test("killed while its first batch is running, after the 202 was journaled: resumed by following the batch id", () => {
  const journal = (dir: string) =>
    existsSync(join(dir, "decom.state.json.journal")) ? readFileSync(join(dir, "decom.state.json.journal"), "utf8") : "";
  return killDuringApply(
    async (_e, d) => waitFor(() => journal(d).includes('"accepted"'), 15_000, "accepted journaled"),
    100,
    async (emulator, dir) => {
      assert.is(emulator.batches.batches.size, 1);
      assert.not.match(journal(dir), '"finished"', "killed before the batch ended");
      await runAgainAndCheck(emulator, dir);
      const first = [...emulator.batches.batches.values()][0]!;
      const status = readJsonFile(join(dir, "decom.state.json")).resources[first.body.query.ids[0]!];
      assert.equal([status.status, status.batchId], ["deleted", first.id], "outcome taken from the batch the killed run submitted");
    },
  );
});

test.run();
