/**
 * `decom state list|show|rm` (issue 12, item 3) against a state two real
 * applies wrote: deleted, absent and failed records, two with history, an id
 * that is both a resource and a resource type, and ids no shell or terminal
 * should be trusted with. None of them needs the network or credentials.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { assertOneLine, decom, manifestYaml, workspace } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { readJsonFile } from "../helpers/json-file.js";
import { assertValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";

interface Fixture {
  emulator: Emulator;
  dir: string;
  remove: () => void;
  /** The state file as the two applies left it, restored before each test. */
  applied: string;
}
const test = suite<Fixture>("e2e: decom state list, show and rm");

/** Each hostile id and how a view shows it. */
const HOSTILE: [string, string][] = [
  ["__proto__", '"__proto__"'],
  ["has space", '"has space"'],
  ['quote"d', String.raw`"quote\"d"`],
  ["new\nline", String.raw`"new\nline"`],
];
const RESOURCES = [...devices("dev", 4, "legacy"), { id: "shared", resourceTypeId: "legacy" }];
const STATE = "decom.state.json";
const statePath = (dir: string) => join(dir, STATE);
const readState = (dir: string) => readJsonFile(statePath(dir));
const shown = (id: string) => HOSTILE.find(([hostile]) => hostile === id)?.[1] ?? `"${id}"`;

const MANIFEST = [
  "version: 1",
  "resources:",
  ...[...RESOURCES.map((r) => r.id), ...HOSTILE.map(([id]) => id), "ghost"].map((id) => `  - id: ${JSON.stringify(id)}`),
  "resourceTypes:",
  "  - id: shared",
  "  - id: old-type",
  "",
].join("\n");

test.before(async (ctx) => {
  const hostile = HOSTILE.map(([id]) => ({ id, resourceTypeId: "legacy" }));
  ctx.emulator = await startEmulator({ seed: world([...RESOURCES, ...hostile], ["shared", "old-type"]) });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({ "decom.yaml": MANIFEST }));
  const run = (args: string[]) => decom(args, { cwd: ctx.dir, endpoint: ctx.emulator.url });
  const tenant = ctx.emulator.tenant;
  // Apply 1: children provisioned after the review make dev-0002 and dev-0004 fail; ghost is absent.
  assert.is((await run(["plan", "--out", "plan.json"])).code, 0);
  tenant.addResource({ id: "late-2", resourceTypeId: "other", parentId: "dev-0002" });
  tenant.addResource({ id: "late-4", resourceTypeId: "other", parentId: "dev-0004" });
  assert.is((await run(["apply", "plan.json"])).code, 1);
  // Apply 2 retries both: dev-0002 is deleted this time, dev-0004 fails again.
  tenant.deleteResource("late-2");
  tenant.deleteResource("late-4");
  assert.is((await run(["plan", "--out", "plan2.json"])).code, 0);
  tenant.addResource({ id: "late-4", resourceTypeId: "other", parentId: "dev-0004" });
  assert.is((await run(["apply", "plan2.json"])).code, 1);
  ctx.applied = readFileSync(statePath(ctx.dir), "utf8");
});
test.after(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});
test.before.each((ctx) => {
  writeFileSync(statePath(ctx.dir), ctx.applied);
  for (const file of [`${STATE}.journal`, `${STATE}.lock`]) rmSync(join(ctx.dir, file), { force: true });
});

/** The state commands, with no endpoint and no credentials: they never reach for either. */
const state = (dir: string, args: string[], answer?: string) =>
  decom(["state", ...args], { cwd: dir, ...(answer !== undefined ? { answer } : {}) });

test("the fixture: two applies, with deleted, absent and failed records, and history", ({ dir }) => {
  const s = readState(dir);
  assert.is(s.applies.length, 2);
  assert.equal(
    Object.entries(s.resources).map(([id, r]) => [id, (r as { status: string }).status]),
    [
      ["__proto__", "deleted"],
      ["dev-0001", "deleted"],
      ["dev-0002", "deleted"],
      ["dev-0003", "deleted"],
      ["dev-0004", "failed"],
      ["ghost", "absent"],
      ["has space", "deleted"],
      ["new\nline", "deleted"],
      ['quote"d', "deleted"],
      ["shared", "deleted"],
    ],
  );
  assert.equal(Object.keys(s.resourceTypes), ["old-type", "shared"]);
  assert.is(s.resources["dev-0002"].history.length, 1);
  assert.is(s.resources["dev-0004"].history.length, 1);
});

test("state list: one line per record, by kind then id: kind, escaped id, status, time", async ({ dir, emulator }) => {
  const requests = emulator.requests.length;
  const result = await state(dir, ["list"]);
  assert.is(result.code, 0, result.stderr);
  const s = readState(dir);
  const expected = (["resources", "resourceTypes"] as const).flatMap((field) =>
    Object.keys(s[field])
      .sort()
      .map((id) => [field === "resources" ? "resource" : "resourceType", shown(id), s[field][id].status, s[field][id].time]),
  );
  const lines = result.stdout.trimEnd().split("\n");
  const rows = lines.map((line) => {
    const match = /^(resource|resourceType) +(".*") +(deleted|absent|failed) +(\S+)$/.exec(line);
    assert.ok(match, `a list line: ${JSON.stringify(line)}`);
    return match!.slice(1);
  });
  assert.equal(rows, expected);
  assert.is(lines.length, 12);
  assert.match(result.stderr, String.raw`1 id contains control or invisible characters; it is shown escaped (\n).`);
  assert.is(emulator.requests.length, requests, "no request");
});

test("state list --status filters; a wrong status is a one-line usage error naming the allowed ones", async ({ dir }) => {
  const ids = async (status: string) =>
    (await state(dir, ["list", "--status", status])).stdout
      .trimEnd()
      .split("\n")
      .map((line) => line.split(/ +/).slice(0, 2).join(" "));
  assert.equal(await ids("failed"), ['resource "dev-0004"']);
  assert.equal(await ids("absent"), ['resource "ghost"']);
  assert.is((await ids("deleted")).length, 10);
  assertOneLine(
    await state(dir, ["list", "--status", "gone"]),
    'error: decom state list: --status must be one of deleted, absent, failed, got "gone"',
  );
});

test("state list --json: one state_record per line, valid against events.schema.json, ids exact", async ({ dir }) => {
  const result = await state(dir, ["list", "--json"]);
  assert.is(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split("\n");
  const records = lines.map((line) => JSON.parse(line));
  for (const record of records) assertValid("events", record, `state list --json line ${JSON.stringify(record)}`);
  assert.ok(records.every((r) => r.type === "state_record"));
  const s = readState(dir);
  assert.equal(
    records.filter((r) => r.kind === "resource").map((r) => r.id),
    Object.keys(s.resources).sort(),
    "every resource, its id exactly as in the state",
  );
  const failed = records.find((r) => r.id === "dev-0004");
  assert.equal(
    { ...failed, timestamp: undefined },
    { type: "state_record", timestamp: undefined, kind: "resource", id: "dev-0004", ...withoutHistory(s.resources["dev-0004"]) },
  );
  const filtered = await state(dir, ["list", "--json", "--status", "absent"]);
  assert.equal(
    filtered.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line).id),
    ["ghost"],
  );
  const wrong = await state(dir, ["list", "--json", "--status", "gone"]);
  assert.is(wrong.code, 1);
  assertValid("events", JSON.parse(wrong.stdout), "the usage error, as a diagnostic line");
});

function withoutHistory(record: Record<string, unknown>): Record<string, unknown> {
  const { history: _history, ...rest } = record;
  return rest;
}

test("state show ID: the record, the apply that wrote it (plan digest, start), then its history", async ({ dir }) => {
  const s = readState(dir);
  const [first, second] = s.applies;
  const result = await state(dir, ["show", "dev-0004"]);
  assert.is(result.code, 0, result.stderr);
  const r = s.resources["dev-0004"];
  const before = r.history[0];
  assert.is(
    result.stdout,
    [
      'resource "dev-0004"',
      "  status:      failed",
      `  time:        ${r.time}`,
      "  entry:       id",
      `  batch:       ${r.batchId}`,
      "  cascade:     none",
      "  status code: 400",
      "  error:       Resource is still parent of or referenced by 1 resource(s)",
      `  apply:       2, of saved plan ${second.plan}, started ${second.started}`,
      "  history, newest first:",
      `    1. failed at ${before.time}`,
      "       entry:       id",
      `       batch:       ${before.batchId}`,
      "       cascade:     none",
      "       status code: 400",
      "       error:       Resource is still parent of or referenced by 1 resource(s)",
      `       apply:       1, of saved plan ${first.plan}, started ${first.started}`,
      "",
    ].join("\n"),
  );
  assert.ok(second.plan.startsWith("sha256:") && second.plan !== first.plan);
  assert.is(result.stderr, "");
});

test("state show: an id that is both a resource and a resource type shows both; history ends at the failure", async ({ dir }) => {
  const shared = await state(dir, ["show", "shared"]);
  assert.is(shared.code, 0, shared.stderr);
  assert.match(shared.stdout, /^resource "shared"\n {2}status: {6}deleted\n[\s\S]*\n\nresourceType "shared"\n {2}status: {6}deleted\n/);
  assert.not.match(shared.stdout, "history");
  const retried = await state(dir, ["show", "dev-0002"]);
  assert.match(retried.stdout, /status: {6}deleted[\s\S]*history, newest first:\n {4}1\. failed at /);
});

test("state show --json: one state_record_detail per record, with the apply and the history, valid", async ({ dir }) => {
  const s = readState(dir);
  const result = await state(dir, ["show", "dev-0002", "--json"]);
  assert.is(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split("\n");
  assert.is(lines.length, 1);
  const line = JSON.parse(lines[0]!);
  assertValid("events", line, "state show --json");
  const applied = (n: number) => ({ number: n, plan: s.applies[n - 1].plan, started: s.applies[n - 1].started });
  const { history, ...record } = s.resources["dev-0002"];
  assert.equal(
    { ...line, timestamp: undefined },
    {
      type: "state_record_detail",
      timestamp: undefined,
      kind: "resource",
      id: "dev-0002",
      ...record,
      applied: applied(2),
      history: [{ ...history[0], applied: applied(1) }],
    },
  );
  const both = await state(dir, ["show", "shared", "--json"]);
  const kinds = both.stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
  for (const l of kinds) assertValid("events", l, "state show --json, shared id");
  assert.equal(
    kinds.map((l) => [l.kind, l.history]),
    [
      ["resource", []],
      ["resourceType", []],
    ],
  );
});

test("state show: an unknown id is one line naming it and the state file, exit 1", async ({ dir }) => {
  assertOneLine(await state(dir, ["show", "dev-9999"]), 'error: "dev-9999" is not in decom.state.json');
  assertOneLine(await state(dir, ["show", "new\nline2"]), String.raw`error: "new\nline2" is not in decom.state.json`);
  assertOneLine(await state(dir, ["show"]), "error: decom state show: which id? e.g. decom state show gw-namur-01");
});

test("state rm asks, and only yes removes: serial + 1, lineage kept, no journal, the records gone", async ({ dir, applied }) => {
  const before = readState(dir);
  const no = await state(dir, ["rm", "dev-0001", "ghost"], "no");
  assert.is(no.code, 1);
  assert.match(no.stdout, 'resource  "dev-0001"  deleted');
  assert.match(no.stdout, "Only 'yes' will be accepted to approve.");
  assert.is(no.stderr, "State rm cancelled. Nothing was removed.\n");
  assert.is(readFileSync(statePath(dir), "utf8"), applied);

  const yes = await state(dir, ["rm", "dev-0001", "ghost"], "yes");
  assert.is(yes.code, 0, yes.stderr);
  assert.match(
    yes.stdout,
    /decom state rm will forget these 2 records:\n {2}resource {2}"dev-0001" {2}deleted {2}\S+\n {2}resource {2}"ghost" {5}absent {3}\S+\n/,
  );
  assert.match(yes.stdout, 'Removed resource "dev-0001".\nRemoved resource "ghost".\n');
  assert.match(yes.stdout, `Removed 2 records from decom.state.json (serial ${before.serial + 1}).`);
  const after = readState(dir);
  assert.is(after.serial, before.serial + 1);
  assert.is(after.lineage, before.lineage);
  assert.not.ok(existsSync(join(dir, `${STATE}.journal`)), "the journal is compacted away");
  assert.not.ok(existsSync(join(dir, `${STATE}.lock`)), "the lock is released");
  assert.not.ok("dev-0001" in after.resources || "ghost" in after.resources);
  assert.equal(after.applies, before.applies, "the applies are kept");
  assert.is(Object.keys(after.resources).length, Object.keys(before.resources).length - 2);
});

test("state rm without a terminal refuses unless --auto-approve, which removes without asking", async ({ dir, applied }) => {
  const refused = await state(dir, ["rm", "dev-0003"]);
  assertOneLine(
    refused,
    "error: decom state rm: not asking for confirmation without a terminal; pass --auto-approve to remove the records",
  );
  assert.is(readFileSync(statePath(dir), "utf8"), applied);
  const approved = await state(dir, ["rm", "dev-0003", "--auto-approve"]);
  assert.is(approved.code, 0, approved.stderr);
  assert.is(approved.stdout, `Removed resource "dev-0003".\nRemoved 1 record from decom.state.json (serial ${readState(dir).serial}).\n`);
  assert.not.ok("dev-0003" in readState(dir).resources);
});

test("state rm of an id that is not in the state: exit 1 naming it, nothing removed", async ({ dir, applied }) => {
  const result = await state(dir, ["rm", "dev-0001", "dev-9999", "--auto-approve"]);
  assertOneLine(result, 'error: "dev-9999" is not in decom.state.json; nothing was removed');
  assert.is(readFileSync(statePath(dir), "utf8"), applied);
  assert.not.ok(existsSync(join(dir, `${STATE}.journal`)) || existsSync(join(dir, `${STATE}.lock`)));
});

test("state rm while another decom holds the lock: fails naming the holder, the state unchanged", async ({ dir, applied }) => {
  const lock = JSON.stringify({ pid: process.pid, host: hostname(), time: "2026-11-29T10:00:00.000Z", command: "decom apply plan.json" });
  writeFileSync(join(dir, `${STATE}.lock`), lock);
  const result = await state(dir, ["rm", "dev-0001", "--auto-approve"]);
  assert.is(result.code, 1);
  assert.match(
    result.stderr,
    `the state is locked by "decom apply plan.json" (pid ${process.pid} on ${hostname()}, since 2026-11-29T10:00:00.000Z)`,
  );
  assert.is(readFileSync(statePath(dir), "utf8"), applied);
  assert.is(readFileSync(join(dir, `${STATE}.lock`), "utf8"), lock, "the holder's lock is left alone");
  assert.is((await state(dir, ["list", "--status", "absent"])).code, 0, "list needs no lock");
  const waited = await state(dir, ["rm", "dev-0001", "--auto-approve", "--lock-timeout", "300ms"]);
  assert.is(waited.code, 1);
  assert.match(waited.stderr, `warning: the state is locked by "decom apply plan.json" (pid ${process.pid}`);
  assert.match(waited.stderr, "the state is still locked by");
  assert.match(waited.stderr, "after waiting 300ms");
  assert.is(readFileSync(statePath(dir), "utf8"), applied);
});

test("state rm of an id in a batch still in flight: refused, it is not settled", async ({ dir }) => {
  const s = readState(dir);
  s.inFlight = [{ kind: "resource", ids: { "dev-0004": "id" }, submitted: "2026-11-29T10:00:00.000Z", batchId: "b-77" }];
  writeFileSync(statePath(dir), JSON.stringify(s));
  const result = await state(dir, ["rm", "dev-0004", "--auto-approve"]);
  assertOneLine(
    result,
    'error: resource "dev-0004" is in batch b-77, still in flight since 2026-11-29T10:00:00.000Z; ' +
      "run decom plan or decom apply first, which follow it to its end; nothing was removed",
  );
  assert.equal(readState(dir), s);
});

test("state rm of hostile ids: shown escaped, removed exactly, the rest kept", async ({ dir }) => {
  const ids = HOSTILE.map(([id]) => id);
  const result = await state(dir, ["rm", ...ids, "--auto-approve"]);
  assert.is(result.code, 0, result.stderr);
  for (const [, escaped] of HOSTILE) assert.match(result.stdout, `Removed resource ${escaped}.\n`);
  assert.not.match(result.stdout, "new\nline");
  const left = Object.keys(readState(dir).resources);
  for (const id of ids) assert.not.ok(left.includes(id), JSON.stringify(id));
  assert.equal(left, ["dev-0001", "dev-0002", "dev-0003", "dev-0004", "ghost", "shared"]);
  const listed = await state(dir, ["list"]);
  assert.is(listed.stdout.trimEnd().split("\n").length, 8);
  assert.is(listed.stderr, "", "no escaped id left to warn about");
});

test("state rm of an id that is both kinds removes both records", async ({ dir }) => {
  const result = await state(dir, ["rm", "shared", "--auto-approve"]);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, 'Removed resource "shared".\nRemoved resourceType "shared".\nRemoved 2 records');
  const s = readState(dir);
  assert.not.ok("shared" in s.resources || "shared" in s.resourceTypes);
});

test("after state rm, plan plans the removed ids afresh", async ({ dir, emulator }) => {
  const run = (args: string[]) => decom(args, { cwd: dir, endpoint: emulator.url });
  // dev-0001 is back on the tenant: still recorded, it is "recreated"; forgotten, it is a plain deletion.
  emulator.tenant.addResource({ id: "dev-0001", resourceTypeId: "legacy" });
  try {
    const reason = async (id: string) => {
      const plan = await run(["plan", "--json"]);
      const line = plan.stdout.split("\n").find((l) => l.includes(`"id":"${id}"`));
      return line === undefined ? undefined : JSON.parse(line).reasonCode;
    };
    assert.is(await reason("dev-0001"), "recreated");
    assert.is(await reason("ghost"), undefined, "an id recorded absent is not planned");
    assert.is((await state(dir, ["rm", "dev-0001", "ghost", "--auto-approve"])).code, 0);
    assert.is(await reason("dev-0001"), "in-manifest");
    assert.is(await reason("ghost"), "not-found");
  } finally {
    emulator.tenant.deleteResource("dev-0001");
  }
});

test("a saved plan applied in full, then state rm: applying it again is stale, not continued", () =>
  withEmulator(
    { seed: world(devices("dev", 3, "legacy")) },
    { "decom.yaml": manifestYaml(["dev-0001", "dev-0002"]) },
    async ({ emulator, dir }) => {
      const run = (args: string[]) => decom(args, { cwd: dir, endpoint: emulator.url });
      assert.is((await run(["plan", "--out", "plan.json"])).code, 0);
      assert.is((await run(["apply", "plan.json"])).code, 0);
      assert.match((await run(["apply", "plan.json"])).stdout, "plan.json was already applied on", "before rm: already applied");
      assert.is((await state(dir, ["rm", "dev-0001", "--auto-approve"])).code, 0);
      const posts = emulator.count("POST");
      const again = await run(["apply", "plan.json"]);
      assert.is(again.code, 1, again.stdout);
      assert.match(
        again.stderr,
        "plan.json is stale and was not applied: it was made when no state file existed, and one has been written since",
      );
      assert.match(again.stderr, "; this plan's own apply (apply 1, begun ");
      assert.match(again.stderr, ") last wrote serial 1, and something else wrote the state since.");
      assert.is(emulator.count("POST"), posts, "nothing sent");
    },
  ));

test("state commands find the state of -f X.yaml (X.state.json), or take --state", async ({ dir, applied }) => {
  writeFileSync(join(dir, "retire.yaml"), MANIFEST);
  writeFileSync(join(dir, "retire.state.json"), applied.replace('"manifest": "decom.yaml"', '"manifest": "retire.yaml"'));
  try {
    const byManifest = await state(dir, ["list", "-f", "retire.yaml", "--status", "failed"]);
    assert.is(byManifest.code, 0, byManifest.stderr);
    assert.match(byManifest.stdout, '"dev-0004"');
    const removed = await state(dir, ["rm", "dev-0004", "--state", "retire.state.json", "--auto-approve"]);
    assert.match(removed.stdout, "Removed 1 record from retire.state.json");
    assert.is(readFileSync(statePath(dir), "utf8"), applied, "decom.state.json untouched");
    const missing = await state(dir, ["list", "-f", "other.yaml"]);
    assertOneLine(missing, "error: other.state.json does not exist: nothing has been applied with it yet");
  } finally {
    rmSync(join(dir, "retire.yaml"));
    rmSync(join(dir, "retire.state.json"));
  }
});

test("decom state alone, an unknown subcommand, and each subcommand's --help", async ({ dir }) => {
  const alone = await state(dir, []);
  assert.is(alone.code, 1);
  assert.match(alone.stderr, "Usage: decom state <subcommand> [options]");
  assertOneLine(
    await state(dir, ["lst"]),
    'error: decom state: unknown subcommand "lst" (did you mean "list"?); it takes list, show or rm (see decom state --help)',
  );
  assertOneLine(
    await state(dir, ["__proto__"]),
    'error: decom state: unknown subcommand "__proto__"; it takes list, show or rm (see decom state --help)',
  );
  const group = await state(dir, ["--help"]);
  assert.match(group.stdout, "Subcommands:\n  list  ");
  for (const sub of ["list", "show", "rm"]) {
    const help = await state(dir, [sub, "--help"]);
    assert.is(help.code, 0);
    assert.ok(help.stdout.startsWith(`Usage: decom state ${sub} `), help.stdout);
    assert.is((await decom(["help", "state", sub], { cwd: dir })).stdout, help.stdout, "decom help state SUB");
  }
  assert.match((await decom(["--help"], { cwd: dir })).stdout, /\n {2}state +list, show and forget the state's records\n/);
});

test.run();
