/**
 * Re-running `decom apply plan.json` converges (issue 12): a CI job killed
 * during an apply and run again finishes that plan's work and exits 0; run a
 * third time it says the plan was already applied and sends nothing. Only a
 * plan overtaken by another apply is stale.
 */
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { applyKilledAfterFirst202 } from "../helpers/killed-apply.js";
import { apply, plan } from "../../src/index.js";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { readJsonFile } from "../helpers/json-file.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: re-running a saved plan");
const fleet = devices("dev", 400, "legacy");
const ids = fleet.map((d) => d.id);

test("apply plan.json SIGKILLed 300 ms after its first 202, run again: it finishes; a third run sends nothing", async () => {
  let accepted = false;
  const options = { seed: world(fleet), timing: { startDelayMs: 10, perIdMs: 2 }, onBatchAccepted: () => (accepted = true) };
  return withEmulator(options, { "decom.yaml": manifestYaml(ids) }, async ({ emulator, dir }) => {
    await applyKilledAfterFirst202(dir, emulator.url, () => accepted);
    const acceptedBeforeKill = emulator.batches.batches.size;
    assert.ok(acceptedBeforeKill >= 1 && acceptedBeforeKill < 8, `batches accepted before the kill: ${acceptedBeforeKill}`);

    assert.is((await decom(["force-unlock"], { cwd: dir })).code, 0);
    const again = await decom(["apply", "plan.json", "--unacknowledged-grace", "2s"], { cwd: dir, endpoint: emulator.url });
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /Continuing the apply of plan\.json begun \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: \d+ of 400 deletions left/);
    assert.match(again.stdout, "Apply complete");
    for (const id of ids) assert.not.ok(emulator.tenant.resources.has(id), `${id} still exists`);
    assert.is(emulator.stats().idsAcceptedTwice, 0, "an id was in two accepted batches");

    const state = readJsonFile(join(dir, "decom.state.json"));
    const plan = readJsonFile(join(dir, "plan.json"));
    assert.is(state.applies.length, 1, "the re-run continued the apply; it did not start another");
    assert.is(state.applies[0].plan, plan.digest);
    assert.is(state.applies[0].through, state.serial);
    for (const id of ids) assert.equal([state.resources[id].status, state.resources[id].apply], ["deleted", 1], id);

    const posts = emulator.count("POST");
    const third = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(third.code, 0, third.stderr);
    assert.match(third.stdout, /^plan\.json was already applied on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; nothing to do\.\n$/);
    assert.is(emulator.count("POST"), posts, "the third run sent no batch");
    const json = await decom(["apply", "plan.json", "--json"], { cwd: dir, endpoint: emulator.url });
    assert.is(json.code, 0);
    assert.match(json.stdout, '"status":"already-applied"');
    assert.equal(readJsonFile(join(dir, "decom.state.json")), state, "the state was not written again");
  });
});

test("a saved plan overtaken by another saved plan's apply is stale, and says so", async () => {
  const small = devices("dev", 6, "legacy");
  return withEmulator({ seed: world(small) }, { "decom.yaml": manifestYaml(small.map((d) => d.id)) }, async ({ emulator, dir }) => {
    const run = (args: string[]) => decom(args, { cwd: dir, endpoint: emulator.url });
    assert.is((await run(["plan", "--out", "all.json"])).code, 0);
    assert.is((await run(["plan", "--out", "one.json", "--target", "dev-0001"])).code, 0);
    assert.is((await run(["apply", "one.json"])).code, 0);
    const posts = emulator.count("POST");
    const stale = await run(["apply", "all.json"]);
    assert.is(stale.code, 1);
    assert.match(
      stale.stderr,
      "all.json is stale and was not applied: it was made when no state file existed, and one has been written since",
    );
    assert.is(emulator.count("POST"), posts, "nothing sent");
    // one.json itself is done: applying it again is not an error.
    const again = await run(["apply", "one.json"]);
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, "one.json was already applied on");
  });
});

test("continuing an apply whose remaining selector-matched id was deleted by someone else: settled as absent, exit 0", async () => {
  const fleet = devices("dev", 40, "legacy");
  const manifest = "version: 1\nresources:\n  - select:\n      resourceTypeId: legacy\nguard:\n  maxDeletes: 100\n";
  const stop = new AbortController();
  const halt = new AbortController();
  const options = {
    seed: world(fleet),
    faults: { latencyMs: 100 },
    onBatchAccepted: () => {
      stop.abort();
      halt.abort();
    },
  };
  return withEmulator(options, { "decom.yaml": manifest }, async ({ emulator, dir }) => {
    const env = { WAYLAY_GATEWAY_URL: emulator.url, HOME: dir };
    await plan({ cwd: dir, env, out: "plan.json", batchSize: 10 });
    const halted = await apply({ cwd: dir, env, plan: "plan.json", parallelism: 1, stop: stop.signal, halt: halt.signal });
    assert.is(halted.status, "halted");
    // Someone else deletes an id the plan has not submitted yet.
    const gone = await fetch(`${emulator.url}/resources/v1/resources/dev-0040`, { method: "DELETE" });
    assert.ok(gone.ok, `emulator DELETE answered ${gone.status}`);
    const again = await decom(["apply", "plan.json", "--unacknowledged-grace", "500ms"], { cwd: dir, endpoint: emulator.url });
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, "Continuing the apply of plan.json");
    const state = readJsonFile(join(dir, "decom.state.json"));
    assert.is(state.resources["dev-0040"].status, "absent");
    for (const d of fleet) assert.not.ok(emulator.tenant.resources.has(d.id), d.id);
    assert.is(emulator.stats().idsAcceptedTwice, 0);
  });
});

test.run();
