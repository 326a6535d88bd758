/**
 * A journal decom did not write, or that was damaged, is refused as corrupt,
 * naming the line, before anything is sent; the journal and the state stay as
 * they are. Only a last line cut short by a crash is ignored.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator } from "../../src/emulator/server.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: a corrupt journal");

const BEGIN = '{"begin":{"lineage":"0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d","serial":0,"inherited":0}}';
const SUBMIT = '{"submit":{"seq":0,"kind":"resource","ids":{"dev-0001":"id"},"time":"2026-01-01T00:00:00.000Z"}}';

const cases: [string, string[], string][] = [
  ["an object of no known record", [BEGIN, '{"dropped":{}}', SUBMIT], ':2: not a journal record (unknown record "dropped")'],
  [
    "a bare number",
    [BEGIN, "5", SUBMIT],
    ":2: not a journal record (expected an object with one of begin, apply, recorded, removed, submit, accepted, finished)",
  ],
  [
    "a record of an unknown kind",
    [BEGIN, SUBMIT.replace('"resource"', '"device"'), SUBMIT],
    ":2: not a journal record (/submit/kind <- must be equal to one of the allowed values)",
  ],
  [
    "a batch with no ids",
    [BEGIN, SUBMIT.replace('{"dev-0001":"id"}', "{}"), SUBMIT],
    ":2: not a journal record (/submit/ids <- must NOT have fewer than 1 properties)",
  ],
  [
    "failures that are not objects",
    [BEGIN, SUBMIT, '{"finished":{"seq":0,"time":"2026-01-01T00:00:01Z","deleted":[],"absent":[],"failed":{"dev-0001":"nope"}}}'],
    ":3: not a journal record (/finished/failed/dev-0001 <- must be object)",
  ],
  [
    "a time that is not one",
    [BEGIN, SUBMIT.replace("2026-01-01T00:00:00.000Z", "garbage")],
    ":2: not a journal record (/submit/time <- must match pattern",
  ],
  [
    "a key too many beside a record",
    [BEGIN, SUBMIT.replace("}}", '},"extra":1}')],
    ':2: not a journal record (/ <- must NOT have additional properties ("extra"))',
  ],
  [
    "a batch finished that was never submitted",
    [BEGIN, SUBMIT, '{"finished":{"seq":99,"time":"2026-01-01T00:00:01Z","deleted":["dev-0001"],"absent":[],"failed":{}}}'],
    ":3: batch 99 is finished, but it is not in flight",
  ],
  [
    "a batch acknowledged after it finished",
    [
      BEGIN,
      SUBMIT,
      '{"finished":{"seq":0,"time":"2026-01-01T00:00:01Z","deleted":["dev-0001"],"absent":[],"failed":{}}}',
      '{"accepted":{"seq":0,"batchId":"b","statusUrl":"/x"}}',
    ],
    ":4: batch 0 is acknowledged, but it is not in flight",
  ],
  ["a batch submitted twice", [BEGIN, SUBMIT, SUBMIT], ":3: batch 0 is submitted a second time"],
  [
    "a batch acknowledged twice",
    [BEGIN, SUBMIT, '{"accepted":{"seq":0,"batchId":"zz","statusUrl":"/x"}}', '{"accepted":{"seq":0,"batchId":"yy","statusUrl":"/y"}}'],
    ":4: batch 0 is acknowledged a second time",
  ],
  [
    "an outcome for an id the batch did not hold",
    [BEGIN, SUBMIT, '{"finished":{"seq":0,"time":"2026-01-01T00:00:01Z","deleted":["dev-0002"],"absent":[],"failed":{}}}'],
    ':3: batch 0 records an outcome for "dev-0002", which it did not hold',
  ],
  [
    "a lineage that is not one",
    [BEGIN.replace("0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d", "x"), SUBMIT],
    ":1: not a journal record (/begin/lineage <- must match pattern",
  ],
  ["no begin record first", [SUBMIT, BEGIN], ":1: a journal starts with a begin record"],
  ["a second begin record", [BEGIN, SUBMIT, BEGIN], ":3: a begin record after the first line"],
  [
    "a complete last line that is not a record",
    [BEGIN, SUBMIT, '{"finished":{"seq":0}}'],
    ":3: not a journal record (/finished <- must have required property 'time'",
  ],
];

for (const [name, lines, expected] of cases) {
  test(`${name}: refused as corrupt, nothing sent, nothing changed`, async () => {
    return withEmulator({ seed: world(devices("dev", 2)) }, { "decom.yaml": manifestYaml(["dev-0001"]) }, async ({ emulator, dir }) => {
      const journal = lines.join("\n") + "\n";
      writeFileSync(join(dir, "decom.state.json.journal"), journal);
      for (const command of [["plan"], ["apply", "--auto-approve"]]) {
        const run = await decom(command, { cwd: dir, endpoint: emulator.url });
        assert.is(run.code, 1, run.stdout + run.stderr);
        assert.is(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
        assert.match(run.stderr, `decom.state.json.journal${expected}`);
        assert.match(run.stderr, "the journal was not modified");
        assert.not.match(run.stderr, "bug in decom");
      }
      assert.is(readFileSync(join(dir, "decom.state.json.journal"), "utf8"), journal);
      assert.not.ok(existsSync(join(dir, "decom.state.json")));
      assert.not.ok(existsSync(join(dir, "decom.state.json.lock")));
      assert.is(emulator.requests.length, 0);
    });
  });
}

test("a journal that does not continue the state beside it (batches it says it inherited, another serial) is refused", async () => {
  return withEmulator({ seed: world(devices("dev", 2)) }, { "decom.yaml": manifestYaml(["dev-0001"]) }, async ({ emulator, dir }) => {
    const journal = [BEGIN.replace('"inherited":0', '"inherited":5'), SUBMIT.replace('"seq":0', '"seq":5')].join("\n") + "\n";
    writeFileSync(join(dir, "decom.state.json.journal"), journal);
    const run = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
    assert.is(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      "decom.state.json.journal continues state serial 0 with 5 batches in flight, " +
        "and decom.state.json does not exist; it was not modified",
    );
    assert.is(readFileSync(join(dir, "decom.state.json.journal"), "utf8"), journal);
    assert.is(emulator.requests.length, 0);
  });
});

test("a journal left without a state file belongs to its tenant: a run against another is refused, and the journal kept", async () => {
  const tenantA = await startEmulator({ seed: world(devices("dev", 2)) });
  const tenantB = await startEmulator({ seed: world(devices("dev", 2)) });
  const { dir, remove } = workspace({ "decom.yaml": manifestYaml(["dev-0001"]) });
  try {
    const begin = JSON.stringify({
      begin: { endpoint: tenantA.url, inherited: 0, lineage: "0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d", serial: 0 },
    });
    const accepted = '{"accepted":{"seq":0,"batchId":"b-1","statusUrl":"/resources/v1/batch/b-1"}}';
    const journal = [begin, SUBMIT, accepted].join("\n") + "\n";
    writeFileSync(join(dir, "decom.state.json.journal"), journal);
    const run = await decom(["plan"], { cwd: dir, endpoint: tenantB.url });
    assert.is(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, `decom.state.json.journal records the tenant at ${tenantA.url}`, run.stderr);
    assert.match(run.stderr, `decom.state.json.journal records the tenant at ${tenantA.url}, and this run targets ${tenantB.url}`);
    assert.is(readFileSync(join(dir, "decom.state.json.journal"), "utf8"), journal);
    assert.not.ok(existsSync(join(dir, "decom.state.json")));
    assert.is(tenantB.requests.length + tenantA.requests.length, 0);
  } finally {
    remove();
    await tenantA.close();
    await tenantB.close();
  }
});

test.run();
