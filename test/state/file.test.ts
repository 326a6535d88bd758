/** The state file: deterministic, atomic, versioned; anything it cannot read is refused untouched. */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { localDisk } from "../../src/files/disk.js";
import { parseState, readStateFile, serializeState } from "../../src/state/file.js";
import { emptyState, type State } from "../../src/state/model.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { assertValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";

const test = suite("state: file");
const LINEAGE = "0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d";
const T = "2026-12-01T09:00:00.000Z";
const V2 = { version: 2, lineage: LINEAGE, serial: 1, endpoint: "x", resources: {}, resourceTypes: {} };
const writeStateFile = (path: string, state: State) => localDisk.writeAtomic(path, serializeState(state));

function sample() {
  const state = emptyState(LINEAGE, "https://api.waylay.io");
  state.serial = 3;
  state.resource.set("z-last", {
    status: "deleted",
    time: "2026-01-01T00:00:00.000Z",
    entry: "id",
    batchId: "b1",
    cascade: ["alarms", "tasks"],
  });
  state.resource.set("__proto__", { status: "absent", time: "2026-01-01T00:00:00.000Z", entry: "id" });
  state.resource.set("a-first", {
    status: "failed",
    time: "2026-01-01T00:00:00.000Z",
    entry: "id",
    batchId: "b1",
    statusCode: 400,
    error: "still parent",
  });
  state.resourceType.set("t", { status: "deleted", time: "2026-01-01T00:00:00.000Z", entry: "id", batchId: "b2" });
  return state;
}

test("round trip: write, read, write again gives the same bytes; keys sorted; valid", () => {
  const { dir, remove } = workspace();
  try {
    const path = join(dir, "decom.state.json");
    writeStateFile(path, sample());
    const first = readFileSync(path, "utf8");
    const read = readStateFile(path)!;
    assert.is(read.resource.get("__proto__")?.status, "absent", "an id named __proto__ is just an id");
    writeStateFile(path, read);
    assert.is(readFileSync(path, "utf8"), first);
    const at = ['"__proto__"', '"a-first"', '"z-last"'].map((key) => first.indexOf(key));
    assert.ok(at[0]! >= 0 && at[0]! < at[1]! && at[1]! < at[2]!, `keys written in sorted order: at ${at.join(", ")}`);
    assert.ok(first.endsWith("}\n"));
    assertValid("state", JSON.parse(first));
  } finally {
    remove();
  }
});

test("a state file that does not exist reads as no state (null), not an error", () => {
  assert.is(readStateFile("/nonexistent/decom.state.json"), null);
});

for (const [name, content, message] of [
  ["empty", "", "the state file is empty"],
  ["corrupt", '{"version": 1, "lineage": ', "not valid JSON"],
  ["not a state", '{"hello": "world"}', 'no integer "version" field'],
  [
    "newer",
    JSON.stringify({ version: 3, lineage: LINEAGE, serial: 9 }),
    "written by a newer decom (state version 3; this decom reads up to 2). Upgrade decom; the file was not modified.",
  ],
  [
    "older unknown",
    JSON.stringify({ version: 0, lineage: LINEAGE, serial: 1 }),
    "state version 0 is older than any decom has written (the oldest is 1); not a decom state file.",
  ],
  [
    "version 1 file holding a version 2 field",
    JSON.stringify({ version: 1, lineage: LINEAGE, serial: 1, endpoint: "x", manifest: "a.yaml", resources: {}, resourceTypes: {} }),
    "it says version 1 and holds manifest, which only version 2 has",
  ],
  [
    "misnumbered applies",
    JSON.stringify({ ...V2, applies: [{ number: 2, basedOn: 0, started: T, through: 1 }] }),
    "/applies/0/number is 2; applies are numbered 1, 2, 3… in order",
  ],
  [
    "apply that wrote past the serial",
    JSON.stringify({ ...V2, applies: [{ number: 1, basedOn: 0, started: T, through: 9 }] }),
    "/applies/0/through is 9, after the state's serial 1",
  ],
  [
    "record naming an apply that is not there",
    JSON.stringify({ ...V2, resources: { a: { apply: 3, entry: "id", status: "deleted", time: T } } }),
    '/resources/"a" names an apply that /applies does not hold',
  ],
  [
    "apply started at no time",
    JSON.stringify({ ...V2, applies: [{ number: 1, basedOn: 0, started: "yesterday", through: 1 }] }),
    "not a valid state file: /applies/0/started",
  ],
  [
    "invalid",
    JSON.stringify({ version: 1, lineage: LINEAGE, serial: 1, endpoint: "x", resources: { a: { status: "gone" } }, resourceTypes: {} }),
    "not a valid state file",
  ],
] as const) {
  test(`a ${name} state file is refused with a clear message, left unchanged, and nothing is sent`, async () => {
    assert.throws(
      () => parseState(content, "decom.state.json"),
      (err: Error) => err.message.includes(message),
    );
    return withEmulator(
      { seed: world(devices("dev", 2)) },
      { "decom.yaml": manifestYaml(["dev-0001"]), "decom.state.json": content },
      async ({ emulator, dir }) => {
        for (const args of [["plan"], ["apply", "--auto-approve"]]) {
          const result = await decom(args, { cwd: dir, endpoint: emulator.url });
          assert.is(result.code, 1);
          assert.match(result.stderr, `decom.state.json: `);
          assert.match(result.stderr, message);
        }
        assert.is(readFileSync(join(dir, "decom.state.json"), "utf8"), content, "file untouched");
        assert.is(emulator.requests.length, 0);
      },
    );
  });
}

test("a state file for another endpoint is refused before any request", async () => {
  return withEmulator(
    { seed: world(devices("dev", 1)) },
    { "decom.yaml": manifestYaml(["dev-0001"]), "decom.state.json": serializeState(sample()) },
    async ({ emulator, dir }) => {
      const result = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
      assert.is(result.code, 1);
      assert.match(result.stderr, "decom.state.json records the tenant at https://api.waylay.io, and this run targets " + emulator.url);
      assert.is(emulator.requests.length, 0);
    },
  );
});

test("writing the state twice leaves only the state file: the temporary file of each atomic write is renamed away", () => {
  const { dir, remove } = workspace();
  try {
    writeStateFile(join(dir, "s.json"), sample());
    writeFileSync(join(dir, "other"), "");
    writeStateFile(join(dir, "s.json"), sample());
    assert.equal(readdirSync(dir).sort(), ["other", "s.json"]);
  } finally {
    remove();
  }
});

test.run();
