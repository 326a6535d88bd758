/**
 * `decom restore` (issue 13, item 3): what apply archived is created again,
 * types and parents before their children, never overwriting, and decom stops
 * managing what it restored. Over loopback HTTP against the emulator.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { EmulatedEntity } from "../../src/emulator/tenant.js";
import { restore, startEmulator } from "../../src/index.js";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { readJsonFile } from "../helpers/json-file.js";
import { assertValid } from "../helpers/schemas.js";

const test = suite("e2e: decom restore");

const pad = (n: number) => String(n).padStart(4, "0");
const gw = (g: number) => `gw-${pad(g)}`;
const dev = (g: number, d: number) => `dev-${pad(g)}-${d}`;
const sensor = (g: number, d: number, s: number) => `sensor-${pad(g)}-${d}-${s}`;
const probe = (g: number) => `probe-${pad(g)}`;

/**
 * 300 resources in 3 levels: 10 gateways, each with 4 devices (6 sensors
 * each) and one probe; 3 types. Every document carries custom metadata:
 * nested objects, arrays, tags, and a `$ref` to a gateway that stays.
 */
function roundTripWorld(): { resourceTypes: EmulatedEntity[]; resources: EmulatedEntity[] } {
  const resources: EmulatedEntity[] = [];
  const meta = (id: string, n: number) => ({
    tags: ["fleet-a", `batch-${n % 3}`],
    customer: "acme",
    location: { lat: 50.8 + n / 1000, lon: 4.3 },
    settings: { thresholds: [n, n + 1, { alarm: n * 2, unit: "°C" }], enabled: n % 2 === 0, note: null },
    installedBy: { $ref: `/resources/${gw(9)}` },
    serial: `SN-${id}`,
  });
  let n = 0;
  for (let g = 0; g < 10; g++) {
    resources.push({ id: gw(g), name: `Gateway ${g}`, resourceTypeId: "hub", ...meta(gw(g), n++) });
    for (let d = 0; d < 4; d++) {
      resources.push({ id: dev(g, d), name: `Device ${g}.${d}`, resourceTypeId: "hub", parentId: gw(g), ...meta(dev(g, d), n++) });
      for (let s = 0; s < 6; s++)
        resources.push({ id: sensor(g, d, s), resourceTypeId: "sensor", parentId: dev(g, d), ...meta(sensor(g, d, s), n++) });
    }
    resources.push({
      id: probe(g),
      name: `Probe ${g}`,
      resourceTypeId: g < 6 ? "legacy-probe" : "sensor",
      parentId: gw(g),
      ...meta(probe(g), n++),
    });
  }
  const resourceTypes: EmulatedEntity[] = [
    { id: "hub", name: "Hub", metrics: [{ name: "uptime", unit: "s" }] },
    { id: "sensor", name: "Sensor", templates: [{ templateName: "check", type: "reactive" }] },
    { id: "legacy-probe", name: "Legacy probe", metrics: [{ name: "temperature", valueType: "double", maximum: 80 }], customer: "acme" },
  ];
  return { resourceTypes, resources };
}

/** 200 resources in whole subtrees: gateways 0–5 (180), two devices of gateway 6 (14), six sensors of gateway 7. */
function deletedIds(resources: readonly EmulatedEntity[]): string[] {
  const under = (root: string): string[] => [root, ...resources.filter((r) => r.parentId === root).flatMap((r) => under(r.id))];
  const ids = [0, 1, 2, 3, 4, 5].flatMap((g) => under(gw(g)));
  ids.push(...under(dev(6, 0)), ...under(dev(6, 1)));
  for (let s = 0; s < 6; s++) ids.push(sensor(7, 0, s));
  return ids;
}

const documentsOf = (entities: Map<string, EmulatedEntity>) => new Map([...entities].map(([id, e]) => [id, structuredClone(e)]));

const archiveLines = (dir: string) =>
  readFileSync(join(dir, "decom.archive.jsonl"), "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));

test("round trip: 200 resources and 1 type deleted, archived and restored as they were, parents first", async () => {
  const seed = roundTripWorld();
  const deleted = deletedIds(seed.resources);
  assert.is(deleted.length, 200);
  assert.is(new Set(deleted).size, 200);
  await withEmulator(
    { seed, timing: { startDelayMs: 1, perIdMs: 0 } },
    { "decom.yaml": manifestYaml(deleted, ["legacy-probe"]) },
    async ({ emulator, dir }) => {
      const run = (args: string[]) => decom(args, { cwd: dir, endpoint: emulator.url });
      const tenant = emulator.tenant;
      const resourcesBefore = documentsOf(tenant.resources);
      const typesBefore = documentsOf(tenant.resourceTypes);

      const applied = await run(["apply", "--auto-approve"]);
      assert.is(applied.code, 0, applied.stderr);
      assert.is(tenant.resources.size, 100);
      assert.is(tenant.resourceTypes.size, 2);
      // apply archived each document before the batch that deleted it.
      const archived = archiveLines(dir);
      assert.is(archived.length, 201);
      for (const line of archived) {
        assertValid("archive", line);
        const { kind, id, document } = line.archived;
        assert.equal(document, (kind === "resource" ? resourcesBefore : typesBefore).get(id), `${kind} ${id} archived as it was`);
      }

      // The entries leave the manifest; restore brings back everything the archive holds.
      writeFileSync(join(dir, "decom.yaml"), "version: 1\nguard:\n  maxDeletes: 500\n");
      const requestsBefore = emulator.requests.length;
      const restored = await run(["restore", "--all", "--auto-approve"]);
      assert.is(restored.code, 0, restored.stderr + restored.stdout);
      const stats = emulator.stats().requests;
      assert.is(stats.createResource, 200);
      assert.is(stats.createResourceType, 1);
      // Lookups: 2 of 100 resources, 1 of the type; then 201 creates, no 400.
      assert.is(emulator.requests.length - requestsBefore, 3 + 201);
      assert.match(restored.stdout, "Restore complete: 201 created, 0 left as they were, 0 failed.");
      assert.not.match(restored.stderr, "400");

      // The tenant is as it was, field for field.
      assert.equal(
        new Map([...tenant.resources].sort(([a], [b]) => a.localeCompare(b))),
        new Map([...resourcesBefore].sort(([a], [b]) => a.localeCompare(b))),
      );
      assert.equal(documentsOf(tenant.resourceTypes), typesBefore);
      // Created in order: the type before its resources, every parent before its children (the tenant keeps insertion order).
      const createdOrder = [...tenant.resources.keys()].filter((id) => deleted.includes(id));
      const position = new Map(createdOrder.map((id, i) => [id, i]));
      for (const id of createdOrder) {
        const parent = resourcesBefore.get(id)!.parentId as string;
        if (position.has(parent)) assert.ok(position.get(parent)! < position.get(id)!, `${parent} created before ${id}`);
      }
      const typeCreate = emulator.requests.findIndex((r) => r.method === "POST" && r.path === "/resources/v1/resourcetypes");
      const firstResourceCreate = emulator.requests.findIndex((r) => r.method === "POST" && r.path === "/resources/v1/resources");
      assert.ok(typeCreate >= 0 && typeCreate < firstResourceCreate, "the type is created before any resource");

      // The archive says so: one restored line per created id; the state no longer manages them.
      const restoredLines = archiveLines(dir).filter((line) => "restored" in line);
      assert.is(restoredLines.length, 201);
      for (const line of restoredLines) assertValid("archive", line);
      assert.equal(new Set(restoredLines.map((l) => `${l.restored.kind}:${l.restored.id}`)).size, 201);
      const state = readJsonFile(join(dir, "decom.state.json"));
      assert.equal(Object.keys(state.resources), []);
      assert.equal(Object.keys(state.resourceTypes), []);

      // A second restore --all has nothing left to restore: no request at all, exit 0.
      const sent = emulator.requests.length;
      const again = await run(["restore", "--all", "--auto-approve"]);
      assert.is(again.code, 0, again.stderr);
      assert.is(again.stdout, "Nothing to restore: every document in decom.archive.jsonl was restored since it was archived.\n");
      assert.is(emulator.requests.length, sent, "no request");
      // Named again, they are looked up and found: still no create.
      const named = await run(["restore", gw(0), dev(0, 0), "legacy-probe", "--auto-approve"]);
      assert.is(named.code, 0, named.stderr);
      assert.match(named.stdout, "Restore complete: 0 created, 3 left as they were, 0 failed.");
      assert.is(emulator.stats().requests.createResource, 200);
      assert.is(emulator.stats().requests.createResourceType, 1);
      assert.is(archiveLines(dir).length, 402, "nothing more archived");

      const plan = await run(["plan", "--detailed-exitcode"]);
      assert.is(plan.code, 0, plan.stdout + plan.stderr);
      assert.match(plan.stdout, "No changes.");
    },
  );
});

/** A small applied world: the manifest deleted these, and the archive holds them. */
const SMALL = {
  resourceTypes: [{ id: "t", name: "T" }],
  resources: [
    { id: "gw", name: "Gateway", resourceTypeId: "t" },
    { id: "kept", resourceTypeId: "t", parentId: "gw" },
    { id: "a", name: "A", resourceTypeId: "t", tags: ["x"] },
    { id: "b", resourceTypeId: "t", parentId: "a" },
    { id: "sel-1", resourceTypeId: "t", customer: "gone" },
    { id: "__proto__", resourceTypeId: "t" },
    { id: 'x,(y)"z"\nnext', resourceTypeId: "t", name: 'line\r  + resource "forged"' },
  ] as EmulatedEntity[],
};
const SMALL_MANIFEST = [
  "version: 1",
  "resources:",
  "  - id: a",
  "  - id: b",
  "  - select:",
  "      customer: gone",
  '  - id: "__proto__"',
  `  - id: ${JSON.stringify('x,(y)"z"\nnext')}`,
  "",
].join("\n");

/** Applies SMALL_MANIFEST to SMALL (which archives the deleted documents), then runs `work`. */
async function afterSmallApply(work: (context: { emulator: import("../../src/index.js").Emulator; dir: string }) => Promise<void>) {
  await withEmulator(
    { seed: structuredClone(SMALL), timing: { startDelayMs: 1, perIdMs: 0 } },
    { "decom.yaml": SMALL_MANIFEST },
    async (context) => {
      const before = documentsOf(context.emulator.tenant.resources);
      const applied = await decom(["apply", "--auto-approve"], { cwd: context.dir, endpoint: context.emulator.url });
      assert.is(applied.code, 0, applied.stderr);
      const gone = [...before.keys()].filter((id) => !context.emulator.tenant.resources.has(id));
      assert.equal(gone.sort(), ["__proto__", "a", "b", "sel-1", 'x,(y)"z"\nnext'].sort());
      // apply archived each one as it was, before the batch that deleted it.
      const archived = new Map(archiveLines(context.dir).map((l) => [l.archived.id, l.archived.document]));
      assert.equal(new Map(gone.map((id) => [id, archived.get(id)])), new Map(gone.map((id) => [id, before.get(id)])));
      assert.is(archived.size, 5);
      await work(context);
    },
  );
}

test("restore of an id the manifest still names: exit 1 naming the manifest line, no request", async () => {
  await afterSmallApply(async ({ emulator, dir }) => {
    const requests = emulator.requests.length;
    const result = await decom(["restore", "a", "sel-1", "b", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
    assert.is(result.code, 1);
    assert.is(
      result.stderr,
      'decom.yaml:3:9: resource "a" is named by the manifest: the next apply would delete it again; ' +
        "take its entry out of decom.yaml first\n" +
        'decom.yaml:4:9: resource "b" is named by the manifest: the next apply would delete it again; ' +
        "take its entry out of decom.yaml first\n",
    );
    assert.is(result.stdout, "");
    assert.is(emulator.requests.length, requests, "no request");
    assert.is(archiveLines(dir).length, 5, "nothing appended");
  });
});

test("usage: no ids, ids and --all, an id not in the archive: one line each, no request", async () => {
  await afterSmallApply(async ({ emulator, dir }) => {
    const requests = emulator.requests.length;
    const run = (args: string[]) => decom(["restore", ...args], { cwd: dir, endpoint: emulator.url });
    const none = await run(["--auto-approve"]);
    assert.is(none.code, 1);
    assert.is(none.stderr, "error: decom restore: which ids? Name them, or restore every archived one with --all\n");
    const both = await run(["sel-1", "--all", "--auto-approve"]);
    assert.is(both.stderr, "error: decom restore: name ids or give --all, not both\n");
    const unknown = await run(["sel-1", "kept", "nope\u001b[2K", "--auto-approve"]);
    assert.is(unknown.code, 1);
    assert.is(
      unknown.stderr,
      'error: "kept", "nope\\u001b[2K" are not in decom.archive.jsonl: decom archived no document of them, so it cannot restore them\n',
    );
    assert.is(emulator.requests.length, requests, "no request");
  });
});

test("an id a selector brought in is restored with a warning naming the selector's line", async () => {
  await afterSmallApply(async ({ emulator, dir }) => {
    const result = await decom(["restore", "sel-1", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
    assert.is(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      'warning: decom.yaml:5:5: resource "sel-1" was deleted for this selector, which may match it again once it is restored: ' +
        "the next apply would delete it again\n",
    );
    assert.ok(emulator.tenant.resources.has("sel-1"));
    assert.not.ok("sel-1" in readJsonFile(join(dir, "decom.state.json")).resources);
  });
});

test("hostile ids round-trip and print escaped; --json lines validate", async () => {
  await afterSmallApply(async ({ emulator, dir }) => {
    // Their entries leave the manifest first.
    writeFileSync(join(dir, "decom.yaml"), "version: 1\nresources:\n  - id: a\n  - id: b\n");
    const ids = ["__proto__", 'x,(y)"z"\nnext'];
    const text = await decom(["restore", ...ids, "--auto-approve"], { cwd: dir, endpoint: emulator.url });
    assert.is(text.code, 0, text.stderr);
    assert.match(text.stdout, String.raw`+ resource "x,(y)\"z\"\nnext"  name "line\r  + resource \"forged\"", type "t"`);
    assert.match(text.stdout, '+ resource "__proto__"  type "t"');
    assert.not.ok(/\r|"z"\nnext/.test(text.stdout), "nothing raw");
    assert.match(text.stderr, "1 id contains control or invisible characters");
    for (const id of ids)
      assert.equal(
        emulator.tenant.resources.get(id),
        SMALL.resources.find((r) => r.id === id),
      );
    const state = readJsonFile(join(dir, "decom.state.json"));
    assert.equal(Object.keys(state.resources).sort(), ["a", "b", "sel-1"]);

    const json = await decom(["restore", ...ids, "--json", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
    assert.is(json.code, 0, json.stderr);
    const lines = json.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    for (const line of lines) assertValid("events", line);
    assert.equal(
      lines.map((l) => [l.type, l.id, l.action ?? l.outcome]),
      [
        ["restore_listed", "__proto__", "exists"],
        ["restore_listed", 'x,(y)"z"\nnext', "exists"],
        ["restore_summary", undefined, undefined],
      ],
    );
    assert.equal(lines[2].created, 0);
    assert.equal(lines[2].existing, 2);
  });
});

test("a 400 is that id's failure with the server's words, and its children are not attempted", async () => {
  await afterSmallApply(async ({ emulator, dir }) => {
    writeFileSync(join(dir, "decom.yaml"), "version: 1\n");
    // The type of "a" is gone from the tenant and not in the archive: the service refuses it.
    emulator.tenant.deleteResource("kept");
    emulator.tenant.deleteResource("gw");
    emulator.tenant.deleteResourceType("t");
    const result = await decom(["restore", "a", "b", "--auto-approve", "--json"], { cwd: dir, endpoint: emulator.url });
    assert.is(result.code, 1);
    const lines = result.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    for (const line of lines) assertValid("events", line);
    const outcome = (id: string) => lines.find((l) => l.type === "restore_outcome" && l.id === id);
    assert.equal(outcome("a"), {
      ...outcome("a"),
      outcome: "failed",
      statusCode: 400,
      message: "/resourceTypeId <- no resource type with id t",
    });
    assert.equal(outcome("b"), { ...outcome("b"), outcome: "skipped", message: 'its parent "a" was not restored' });
    assert.is(emulator.stats().requests.createResource, 1, "b was not attempted");
    assert.is(archiveLines(dir).filter((l) => "restored" in l).length, 0);
    assert.ok("a" in readJsonFile(join(dir, "decom.state.json")).resources, "a is still managed");

    const text = await decom(["restore", "a", "b", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
    assert.is(text.code, 1);
    assert.match(text.stderr, 'Failed resource "a": 400 /resourceTypeId <- no resource type with id t\n');
    assert.match(text.stderr, 'Not attempted resource "b": its parent "a" was not restored\n');
    assert.match(text.stdout, "Restore finished with failures: 0 created, 0 left as they were, 1 failed, 1 not attempted.");
  });
});

test("a 409 raced between the lookup and the create is 'exists, left as is'; the archive gets a line per created id", async () => {
  await afterSmallApply(async ({ emulator, dir }) => {
    writeFileSync(join(dir, "decom.yaml"), "version: 1\n");
    const outcome = await restore({
      ids: ["a", "b"],
      cwd: dir,
      endpoint: emulator.url,
      env: {},
      // After the lookup, before the creates: someone else creates "a".
      approve: () => {
        emulator.tenant.addResource({ id: "a", resourceTypeId: "t", name: "someone else's" });
        return true;
      },
    });
    assert.is(outcome.status, "restored");
    if (outcome.status !== "restored") return;
    assert.equal(
      outcome.outcomes.map((o) => [o.id, o.outcome]),
      [
        ["a", "exists"],
        ["b", "created"],
      ],
    );
    assert.is(emulator.tenant.resources.get("a")?.name, "someone else's", "never overwritten");
    assert.equal(
      archiveLines(dir)
        .filter((l) => "restored" in l)
        .map((l) => l.restored.id),
      ["b"],
    );
    assert.equal(Object.keys(readJsonFile(join(dir, "decom.state.json")).resources).sort(), ["__proto__", "a", "sel-1", 'x,(y)"z"\nnext']);
  });
});

test("what restore cannot bring back is said: with a cascade, per id", async () => {
  await withEmulator(
    { seed: structuredClone(SMALL), timing: { startDelayMs: 1, perIdMs: 0 } },
    { "decom.yaml": "version: 1\nresources:\n  - id: a\n    cascade: [measurements, alarms]\n  - id: b\n" },
    async ({ emulator, dir }) => {
      assert.is((await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0);
      assert.equal(archiveLines(dir).length, 2);
      writeFileSync(join(dir, "decom.yaml"), "version: 1\n");
      const result = await decom(["restore", "--all", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
      assert.is(result.code, 0, result.stderr);
      assert.match(result.stdout, 'resource "a" was deleted with cascade alarms, measurements: those are not brought back');
      assert.match(result.stdout, "Restore recreates documents only: measurements, alarms and tasks a cascade removed are gone for good.");
    },
  );
});

test("asks yes: without a terminal it refuses before any request; no cancels; --archive names another archive", async () => {
  await afterSmallApply(async ({ emulator, dir }) => {
    writeFileSync(join(dir, "decom.yaml"), "version: 1\n");
    const requests = emulator.requests.length;
    const refused = await decom(["restore", "a"], { cwd: dir, endpoint: emulator.url });
    assert.is(refused.code, 1);
    assert.is(refused.stderr, "error: decom restore: not asking for confirmation without a terminal; pass --auto-approve to restore\n");
    assert.is(emulator.requests.length, requests, "no request");

    const no = await decom(["restore", "a"], { cwd: dir, endpoint: emulator.url, answer: "no" });
    assert.is(no.code, 1);
    assert.match(no.stdout, '+ resource "a"  name "A", type "t"');
    assert.match(no.stdout, "Do you want to create these again?");
    assert.is(no.stderr, "Restore cancelled. Nothing was created.\n");
    assert.is(emulator.stats().requests.createResource, 0);

    renameSync(join(dir, "decom.archive.jsonl"), join(dir, "kept.jsonl"));
    const yes = await decom(["restore", "a", "--archive", "kept.jsonl"], { cwd: dir, endpoint: emulator.url, answer: "yes" });
    assert.is(yes.code, 0, yes.stderr);
    assert.match(yes.stdout, "decom restore will create 1 entity from kept.jsonl");
    assert.ok(emulator.tenant.resources.has("a"));
    assert.is(readFileSync(join(dir, "kept.jsonl"), "utf8").trimEnd().split("\n").length, 6, "its restored line is in that archive");
  });
});

test("the cascade a document was deleted with is said from its archive line, even once the state forgot the id", async () => {
  await withEmulator(
    { seed: structuredClone(SMALL), timing: { startDelayMs: 1, perIdMs: 0 } },
    { "decom.yaml": "version: 1\nresources:\n  - id: a\n    cascade: [tasks]\n  - id: b\n" },
    async ({ emulator, dir }) => {
      assert.is((await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0);
      const lines = archiveLines(dir);
      assert.equal(
        lines.map((l) => [l.archived.id, l.archived.cascade, l.archived.endpoint]),
        [
          ["b", undefined, emulator.url],
          ["a", ["tasks"], emulator.url],
        ],
      );
      // Taking the entries out and applying forgets their records: the archive still knows.
      writeFileSync(join(dir, "decom.yaml"), "version: 1\n");
      assert.is((await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0);
      assert.equal(readJsonFile(join(dir, "decom.state.json")).resources, {});
      const result = await decom(["restore", "a", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
      assert.is(result.code, 0, result.stderr);
      assert.match(result.stdout, 'resource "a" was deleted with cascade tasks: those are not brought back');
    },
  );
});

test("an archive of another tenant is refused before any request, naming the line and both endpoints", async () => {
  await afterSmallApply(async ({ emulator, dir }) => {
    const other = await startEmulator({ seed: structuredClone(SMALL) });
    try {
      writeFileSync(join(dir, "decom.yaml"), "version: 1\n");
      renameSync(join(dir, "decom.state.json"), join(dir, "old.state.json"));
      const result = await decom(["restore", "a", "--auto-approve"], { cwd: dir, endpoint: other.url });
      assert.is(result.code, 1);
      assert.match(result.stderr, `was deleted from ${emulator.url}, and this run targets ${other.url}; restore it with --endpoint`);
      assert.is(other.requests.length, 0);
    } finally {
      await other.close();
    }
  });
});

test("--archive beside another state is refused: that state's manifest and lock would not be checked", async () => {
  await afterSmallApply(async ({ emulator, dir }) => {
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, "decom.yaml"), "version: 1\n");
    const requests = emulator.requests.length;
    const result = await decom(["restore", "--all", "--archive", "../decom.archive.jsonl", "--auto-approve"], {
      cwd: elsewhere,
      endpoint: emulator.url,
    });
    assert.is(result.code, 1);
    assert.is(
      result.stderr,
      "error: --archive ../decom.archive.jsonl belongs to the state beside it (../decom.state.json), not to decom.state.json; " +
        "restore from that state's folder (or with its -f and --state), so that its manifest and lock are checked\n",
    );
    assert.is(emulator.requests.length, requests);
  });
});

test("a manifest with selectors is warned about once: one may match a restored resource again", async () => {
  await afterSmallApply(async ({ emulator, dir }) => {
    writeFileSync(join(dir, "decom.yaml"), "version: 1\nresources:\n  - select:\n      tags: [x]\n");
    const result = await decom(["restore", "a", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stderr, "warning: decom.yaml:3:5: decom.yaml selects resources by selector: one that matches a restored resource");
  });
});

test.run();
