/**
 * One state per manifest (issue 12): `X.yaml` keeps `X.state.json` beside it,
 * the state records the manifest it belongs to, and a state that belongs to
 * another manifest is refused when found by name, warned about when named.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { readJsonFile } from "../helpers/json-file.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: one state per manifest");
const q3 = devices("q3", 4, "legacy");
const q4 = devices("q4", 3, "legacy");
const files = { "a.yaml": manifestYaml(q3.map((d) => d.id)), "b.yaml": manifestYaml(q4.map((d) => d.id)) };

test("two manifests in one folder, no --state: each has its own state, and neither plans the other's ids", () =>
  withEmulator({ seed: world([...q3, ...q4]) }, files, async ({ emulator, dir }) => {
    const run = (args: string[]) => decom(args, { cwd: dir, endpoint: emulator.url });
    const a = await run(["apply", "-f", "a.yaml", "--auto-approve"]);
    assert.is(a.code, 0, a.stderr);
    assert.match(a.stdout, "State written to a.state.json.");
    assert.ok(existsSync(join(dir, "a.state.json")));
    assert.not.ok(existsSync(join(dir, "decom.state.json")), "no shared default state");
    assert.is(readJsonFile(join(dir, "a.state.json")).manifest, "a.yaml");

    const b = await run(["plan", "-f", "b.yaml"]);
    assert.is(b.code, 0, b.stderr);
    for (const d of q3) assert.not.match(b.stdout, d.id, `plan -f b.yaml shows ${d.id} of a.yaml`);
    assert.match(b.stdout, "3 to delete");
    // The command plan prints to apply its saved plan names the manifest (and works as printed).
    const saved = await run(["plan", "-f", "b.yaml", "--out", "b-plan.json"]);
    const printed = /Apply exactly this plan with: decom (.*)\n/.exec(saved.stdout)?.[1];
    assert.is(printed, "apply b-plan.json -f b.yaml");
    assert.is((await run(printed!.split(" "))).code, 0);
    // Given with --endpoint (no WAYLAY_GATEWAY_URL), the printed command names it too, and works with nothing else set.
    const bare = (args: string[]) => decom(args, { cwd: dir });
    const withEndpoint = await bare(["plan", "-f", "b.yaml", "--endpoint", emulator.url, "--out", "e.json"]);
    const printedEndpoint = /Apply exactly this plan with: decom (.*)\n/.exec(withEndpoint.stdout)?.[1];
    assert.is(printedEndpoint, `apply e.json -f b.yaml --endpoint ${emulator.url}`);
    assert.is((await bare(printedEndpoint!.split(" "))).code, 0);
    assert.is(readJsonFile(join(dir, "b.state.json")).manifest, "b.yaml");

    const again = await run(["plan", "-f", "a.yaml", "--detailed-exitcode"]);
    assert.is(again.code, 0, again.stdout + again.stderr);
  }));

test("-f b.yaml --state a.state.json warns, naming both files, before anything is sent; the next apply records b.yaml", () =>
  withEmulator({ seed: world([...q3, ...q4]) }, files, async ({ emulator, dir }) => {
    assert.is((await decom(["apply", "-f", "a.yaml", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0);
    const before = emulator.requests.length;
    let sentWhenWarned: number | undefined;
    const renamed = await decom(["plan", "-f", "b.yaml", "--state", "a.state.json"], {
      cwd: dir,
      endpoint: emulator.url,
      onStderr: (text) => {
        if (text.includes("belongs to manifest")) sentWhenWarned ??= emulator.requests.length;
      },
    });
    assert.is(renamed.code, 0, renamed.stderr);
    assert.match(renamed.stderr, "warning: --state a.state.json belongs to manifest a.yaml, and this run uses b.yaml");
    assert.is(sentWhenWarned, before, "the warning came before any request");
    assert.is(
      (await decom(["apply", "-f", "b.yaml", "--state", "a.state.json", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code,
      0,
    );
    assert.is(readJsonFile(join(dir, "a.state.json")).manifest, "b.yaml");
    // state rm on a state named for another manifest warns too.
    const rm = await decom(["state", "rm", "-f", "a.yaml", "--state", "a.state.json", "q4-0001", "--auto-approve"], { cwd: dir });
    assert.is(rm.code, 0, rm.stderr);
    assert.match(rm.stderr, "warning: --state a.state.json belongs to manifest b.yaml, and this run uses a.yaml");
  }));

test("a state found by name that belongs to another manifest (x.yaml and x.yml) is refused, naming both, with no request", () =>
  withEmulator({ seed: world(q3) }, { "x.yaml": files["a.yaml"], "x.yml": files["a.yaml"] }, async ({ emulator, dir }) => {
    assert.is((await decom(["apply", "-f", "x.yaml", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0);
    const before = emulator.requests.length;
    const other = await decom(["plan", "-f", "x.yml"], { cwd: dir, endpoint: emulator.url });
    assert.is(other.code, 1);
    assert.match(other.stderr, "x.state.json belongs to manifest x.yaml, not x.yml");
    assert.is(emulator.requests.length, before);
  }));

test("a state in another folder records the manifest relative to itself", () =>
  withEmulator({ seed: world(q3) }, { "decom.yaml": files["a.yaml"] }, async ({ emulator, dir }) => {
    mkdirSync(join(dir, "states"));
    const state = join("states", "prod.state.json");
    assert.is((await decom(["apply", "--state", state, "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0);
    assert.is(readJsonFile(join(dir, state)).manifest, "../decom.yaml");
  }));

test("a version 1 state (no manifest recorded) plans with no warning and adopts the manifest of its next apply", () =>
  withEmulator({ seed: world(q3) }, { "a.yaml": files["a.yaml"] }, async ({ emulator, dir }) => {
    const v1 = {
      version: 1,
      lineage: "0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d",
      serial: 3,
      endpoint: emulator.url,
      resources: { "q3-0001": { status: "absent", time: "2025-10-01T00:00:00.000Z", entry: "id" } },
      resourceTypes: {},
    };
    writeFileSync(join(dir, "a.state.json"), JSON.stringify(v1));
    const plan = await decom(["plan", "-f", "a.yaml"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stderr);
    assert.not.match(plan.stderr, "belongs to");
    assert.not.match(plan.stderr, "does not exist");
    assert.is((await decom(["apply", "-f", "a.yaml", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0);
    const upgraded = readJsonFile(join(dir, "a.state.json"));
    assert.equal([upgraded.version, upgraded.manifest, upgraded.serial, upgraded.lineage], [2, "a.yaml", 4, v1.lineage]);
    assert.equal(upgraded.resources["q3-0001"].history, [v1.resources["q3-0001"]], "the version 1 outcome is kept as history");
  }));

test("a manifest with no state of its own beside a decom.state.json that records no manifest is warned: it may be its older state", () =>
  withEmulator({ seed: world(q3) }, { "a.yaml": files["a.yaml"] }, async ({ emulator, dir }) => {
    const v1 = {
      version: 1,
      lineage: "0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d",
      serial: 3,
      endpoint: emulator.url,
      resources: {},
      resourceTypes: {},
    };
    writeFileSync(join(dir, "decom.state.json"), JSON.stringify(v1));
    const plan = await decom(["plan", "-f", "a.yaml"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stderr);
    assert.match(
      plan.stderr,
      "warning: a.state.json does not exist, and decom.state.json beside a.yaml records no manifest: if it is the state of a.yaml " +
        "from before states were named after their manifest, rename it (git mv decom.state.json a.state.json) " +
        "or name it with --state decom.state.json",
    );
    const named = await decom(["plan", "-f", "a.yaml", "--state", "decom.state.json"], { cwd: dir, endpoint: emulator.url });
    assert.not.match(named.stderr, "does not exist");
  }));

test("lock and journal follow the state: a foreign lock on b.state.json is named with the command that removes it", () =>
  withEmulator({ seed: world(q4) }, { "b.yaml": files["b.yaml"], "b.state.json.lock": "garbage" }, async ({ emulator, dir }) => {
    const locked = await decom(["plan", "-f", "b.yaml"], { cwd: dir, endpoint: emulator.url });
    assert.is(locked.code, 1);
    assert.match(locked.stderr, "b.state.json.lock is not a lock decom wrote");
    assert.match(locked.stderr, "remove it with: decom force-unlock -f b.yaml");
    assert.is((await decom(["force-unlock", "-f", "b.yaml"], { cwd: dir })).code, 0);
    assert.is((await decom(["plan", "-f", "b.yaml"], { cwd: dir, endpoint: emulator.url })).code, 0);
  }));

test.run();
