/**
 * Pinned state files. Each `fixtures/v1-*.in.json` is read through the real
 * reading path (parse, upgrade chain, schema) and written through the real
 * writing path; the bytes must equal its `.out.json`. A change to the file
 * format that is not an upgrade step therefore fails here: add a
 * `src/state/upgrade/vN-to-vN+1.ts`, keep these fixtures, and add `vN+1-*` ones.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseState, serializeState, stateFilePieces } from "../../src/state/file.js";
import { STATE_VERSION } from "../../src/state/model.js";
import { OLDEST_STATE_VERSION, UPGRADES } from "../../src/state/upgrade/index.js";
import { DECOM_VERSION } from "../../src/version.js";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { assertValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite("state: pinned fixtures");
const FIXTURES = new URL("fixtures/", import.meta.url).pathname;
/** The decom version the `.out.json` files were written by: pinned, so releasing a new decom does not change them. */
const FIXTURE_WRITER = "0.0.0-fixture";
const inputs = readdirSync(FIXTURES)
  .filter((name) => name.endsWith(".in.json"))
  .sort();
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const written = (text: string, name: string) => [...stateFilePieces(parseState(text, name), FIXTURE_WRITER)].join("");

test("there are v1 fixtures, each with its .out.json", () => {
  assert.ok(
    inputs.some((name) => name.startsWith("v1-")),
    `fixtures: ${inputs.join(", ")}`,
  );
  for (const name of inputs)
    assert.ok(readdirSync(FIXTURES).includes(name.replace(/\.in\.json$/, ".out.json")), `${name} has an .out.json`);
});

for (const name of inputs) {
  const out = name.replace(/\.in\.json$/, ".out.json");
  test(`${name} reads, upgrades and writes byte for byte as ${out}`, () => {
    assert.fixture(written(fixture(name), name), fixture(out));
  });
  test(`${out} is a valid current state that writes as itself`, () => {
    assertValid("state", JSON.parse(fixture(out)));
    assert.is(JSON.parse(fixture(out)).version, STATE_VERSION);
    assert.fixture(written(fixture(out), out), fixture(out));
  });
}

test("the fixtures hold every kind of record the schema allows", () => {
  type Record = { status: string; batchId?: string; cascade?: string[]; statusCode?: number; error?: string; apply?: number; history?: [] };
  const seen = new Set<string>();
  for (const name of inputs) {
    const doc = JSON.parse(fixture(name)) as {
      decomVersion?: string;
      manifest?: string;
      applies?: { plan?: string }[];
      resources: { [id: string]: Record };
      resourceTypes: { [id: string]: Record };
      inFlight?: { batchId?: string; statusUrl?: string; cascade?: string[]; apply?: number }[];
    };
    seen.add(doc.decomVersion === undefined ? "no decomVersion" : "decomVersion");
    if (doc.manifest !== undefined) seen.add("manifest");
    for (const a of doc.applies ?? []) seen.add(a.plan === undefined ? "apply without a saved plan" : "apply of a saved plan");
    for (const [kind, records] of [
      ["resource", doc.resources],
      ["resourceType", doc.resourceTypes],
    ] as const) {
      for (const [id, r] of Object.entries(records)) {
        seen.add(`${kind} ${r.status}`);
        if (r.batchId) seen.add(`${kind} ${r.status} batchId`);
        if (r.cascade) seen.add(`${kind} cascade`);
        if (r.statusCode !== undefined && r.error !== undefined) seen.add(`${kind} failed statusCode error`);
        if (id === "__proto__") seen.add("__proto__ id");
        if (r.apply !== undefined) seen.add(`${kind} apply`);
        if (r.history !== undefined) seen.add(`${kind} history`);
      }
    }
    for (const batch of doc.inFlight ?? []) {
      seen.add(batch.batchId && batch.statusUrl ? "inFlight acknowledged" : "inFlight unacknowledged");
      if (batch.cascade) seen.add("inFlight cascade");
      if (batch.apply !== undefined) seen.add("inFlight apply");
    }
  }
  const wanted = [
    "decomVersion",
    "no decomVersion",
    "__proto__ id",
    "resource cascade",
    "inFlight acknowledged",
    "inFlight unacknowledged",
    "inFlight cascade",
    "inFlight apply",
    "manifest",
    "apply of a saved plan",
    "apply without a saved plan",
  ];
  for (const kind of ["resource", "resourceType"]) {
    wanted.push(`${kind} apply`, `${kind} history`);
    wanted.push(`${kind} deleted`, `${kind} deleted batchId`, `${kind} absent`, `${kind} failed`, `${kind} failed statusCode error`);
  }
  assert.equal(
    wanted.filter((w) => !seen.has(w)),
    [],
    "record kinds missing from the fixtures",
  );
});

test("the upgrade chain has one step per version from the oldest to the current one", () => {
  assert.is(OLDEST_STATE_VERSION, 1);
  assert.is(OLDEST_STATE_VERSION + UPGRADES.length, STATE_VERSION);
});

test("every write stamps decomVersion with this decom's version; show --json shows the file's own", async () => {
  return withEmulator(
    { seed: world(devices("dev", 2)) },
    { "decom.yaml": manifestYaml(["dev-0001", "dev-0002"]) },
    async ({ emulator, dir }) => {
      // The fixture names the tenant it was written for; this one is on another port.
      const before = fixture("v1-before-decom-version.in.json").replace("http://127.0.0.1:4567", emulator.url);
      writeFileSync(join(dir, "decom.state.json"), before);
      const shown = await decom(["show", "--format", "json", "decom.state.json"], { cwd: dir, endpoint: emulator.url });
      assert.is(shown.code, 0, shown.stderr);
      assert.is(JSON.parse(shown.stdout).decomVersion, undefined, "a file written before decomVersion existed is shown without one");
      assert.is(shown.stdout, serializeState(parseState(before, "decom.state.json")));
      const applied = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
      assert.is(applied.code, 0, applied.stderr);
      const after = readJsonFile(join(dir, "decom.state.json"));
      assert.is(after.decomVersion, DECOM_VERSION);
      assert.is(after.serial, 2);
      assertValid("state", after);
    },
  );
});

test.run();
