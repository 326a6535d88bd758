/**
 * `stateList`, `stateShow` and `stateRm` as library functions, on a pinned
 * version 2 state (an apply with a saved plan, one without, an outcome from
 * before version 2, a batch in flight) and on the journal an interrupted apply
 * left beside it: read with it, never written by list or show.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DecomError, stateList, stateRm, stateShow, type Diagnostic } from "../../src/index.js";
import { decom, workspace } from "../helpers/decom.js";

const test = suite<{ dir: string; remove: () => void }>("operations: stateList, stateShow, stateRm");

const FIXTURE = readFileSync(new URL("../state/fixtures/v2-applies.in.json", import.meta.url), "utf8");
const LINEAGE = "0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d";
/** The saved plan apply 1 carried out. */
const PLAN_1 = "sha256:1b9d6bcd2b1b5c0e4c3f0a0f5d1e2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5";
const STATE = "s.state.json";
const JOURNAL = `${STATE}.journal`;
const line = (record: object) => `${JSON.stringify(record)}\n`;
/** The journal of an apply killed after its in-flight batch (seq 0, dev-0009) finished, before compaction. */
const FINISHED_JOURNAL =
  line({ begin: { endpoint: "http://127.0.0.1:4567", inherited: 1, lineage: LINEAGE, serial: 3 } }) +
  line({ finished: { seq: 0, time: "2026-12-01T08:00:30.000Z", batchId: "b7", deleted: ["dev-0009"], absent: [], failed: {} } });

test.before.each((ctx) => {
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({ [STATE]: FIXTURE }));
});
test.after.each((ctx) => ctx.remove());

const files = (dir: string) => new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), "utf8")]));

test("stateList: by kind then id, filtered by status; ids in flight are said as a warning", ({ dir }) => {
  const warnings: Diagnostic[] = [];
  const all = stateList({ cwd: dir, state: STATE, onWarning: (w) => warnings.push(w) });
  assert.is(all.state, STATE);
  assert.equal(
    all.records.map((r) => `${r.kind}:${r.id}:${r.record.status}`),
    ["resource:dev-0001:deleted", "resource:dev-0002:deleted", "resource:dev-0003:deleted", "resourceType:legacy:deleted"],
  );
  assert.equal(
    warnings.map((w) => [w.code, w.summary]),
    [
      [
        "state.in-flight",
        "1 id is in batches still in flight, with no record until the next decom plan or apply follows them to their end",
      ],
    ],
  );
  assert.equal(stateList({ cwd: dir, state: STATE, status: "failed" }).records, []);
  assert.throws(() => stateList({ cwd: dir, state: STATE, status: "gone" as "failed" }), /status must be one of deleted, absent, failed/);
});

test("stateShow: the apply of each outcome from the state's applies; an outcome from before version 2 has none", ({ dir }) => {
  const shown = stateShow("dev-0002", { cwd: dir, state: STATE });
  assert.is(shown.records.length, 1);
  const [record] = shown.records;
  assert.is(record!.applied?.number, 2);
  assert.is(record!.applied?.plan, undefined, "apply 2 made its own plan");
  assert.equal(
    record!.history.map((h) => [h.outcome.status, h.applied?.plan]),
    [
      ["failed", PLAN_1],
      ["absent", undefined],
    ],
  );
  assert.throws(
    () => stateShow("dev-0009", { cwd: dir, state: STATE }),
    (err: unknown) =>
      err instanceof DecomError &&
      err.diagnostics[0]!.summary ===
        '"dev-0009" has no record yet: it is in batch b7, still in flight since 2026-12-01T08:00:02.000Z; ' +
          "the next decom plan or apply follows it",
  );
});

test("decom state show: an apply that made its own plan, and an outcome that names no apply", async ({ dir }) => {
  const result = await decom(["state", "show", "dev-0002", "--state", STATE], { cwd: dir });
  assert.is(result.code, 0, result.stderr);
  assert.is(
    result.stdout,
    [
      'resource "dev-0002"',
      "  status:      deleted",
      "  time:        2026-12-01T08:00:04.000Z",
      "  entry:       id",
      "  batch:       b6",
      "  apply:       2, which made its own plan, started 2026-12-01T08:00:00.000Z",
      "  history, newest first:",
      "    1. failed at 2026-11-30T10:00:06.000Z",
      "       entry:       id",
      "       batch:       b2",
      "       status code: 504",
      "       error:       timeout",
      `       apply:       1, of saved plan ${PLAN_1}, started 2026-11-30T10:00:00.000Z`,
      "    2. absent at 2025-10-01T00:00:00.000Z",
      "       entry:       id",
      "",
    ].join("\n"),
  );
  assert.match(result.stderr, "warning: 1 id is in batches still in flight");
});

test("list and show read an interrupted apply's journal with the state, and write nothing", async ({ dir }) => {
  writeFileSync(join(dir, JOURNAL), FINISHED_JOURNAL);
  const before = files(dir);
  const warnings: string[] = [];
  const listed = stateList({ cwd: dir, state: STATE, onWarning: (w) => warnings.push(w.code) });
  assert.ok(listed.records.some((r) => r.id === "dev-0009" && r.record.status === "deleted" && r.record.apply === 2));
  assert.equal(warnings, ["state.journal"], "the journal is said; nothing is in flight any more");
  assert.is(stateShow("dev-0009", { cwd: dir, state: STATE }).records[0]!.record.batchId, "b7");
  const cli = await decom(["state", "list", "--state", STATE, "--status", "deleted"], { cwd: dir });
  assert.match(cli.stdout, '"dev-0009"');
  assert.match(cli.stderr, `warning: ${JOURNAL} holds what an interrupted apply recorded and is shown with the state`);
  assert.equal(files(dir), before, "no file written, removed or locked");
});

test("a journal of another state is refused by list, as by every reader, and left alone", ({ dir }) => {
  writeFileSync(join(dir, JOURNAL), FINISHED_JOURNAL.replace(LINEAGE, "11111111-2222-4333-8444-555555555555"));
  const before = files(dir);
  assert.throws(() => stateList({ cwd: dir, state: STATE }), /s\.state\.json\.journal belongs to state lineage 11111111-/);
  assert.equal(files(dir), before);
});

test("stateRm: approve is asked with the records; no leaves every file as it was", async ({ dir }) => {
  const before = files(dir);
  let asked: string[] = [];
  const outcome = await stateRm(["dev-0001", "legacy", "dev-0001"], {
    cwd: dir,
    state: STATE,
    approve: (records) => {
      asked = records.map((r) => `${r.kind}:${r.id}`);
      return false;
    },
  });
  assert.equal(asked, ["resource:dev-0001", "resourceType:legacy"], "each record once, resources first");
  assert.is(outcome.status, "cancelled");
  assert.equal(files(dir), before, "nothing written, the lock released");
});

test("stateRm compacts an interrupted apply's journal with the removal: its outcomes kept, serial + 1", async ({ dir }) => {
  writeFileSync(join(dir, JOURNAL), FINISHED_JOURNAL);
  const outcome = await stateRm(["dev-0001"], { cwd: dir, state: STATE });
  assert.equal(outcome.status === "removed" && [outcome.serial, outcome.removed.map((r) => r.id)], [4, ["dev-0001"]]);
  const state = JSON.parse(readFileSync(join(dir, STATE), "utf8"));
  assert.equal([state.serial, state.lineage, state.inFlight], [4, LINEAGE, undefined]);
  assert.equal(Object.keys(state.resources), ["dev-0002", "dev-0003", "dev-0009"]);
  assert.is(state.resources["dev-0009"].status, "deleted");
  assert.equal(state.applies[1].through, 3, "the removal is no apply's work: apply 2 does not claim serial 4");
  assert.not.ok(existsSync(join(dir, JOURNAL)) || existsSync(join(dir, `${STATE}.lock`)));
});

test("stateRm refuses an id in flight, and a state that exists only as a journal, removing nothing", async ({ dir }) => {
  const before = files(dir);
  assert.match(
    await refusal(stateRm(["dev-0003", "dev-0009"], { cwd: dir, state: STATE })),
    'resource "dev-0009" is in batch b7, still in flight since 2026-12-01T08:00:02.000Z; run decom plan or decom apply first',
  );
  assert.equal(files(dir), before);

  const { dir: other, remove } = workspace({
    "decom.state.json.journal":
      line({ begin: { endpoint: "http://x", inherited: 0, lineage: LINEAGE, serial: 0 } }) +
      line({ recorded: { kind: "resource", absent: { ghost: "id" }, forget: [], time: "2026-12-01T08:00:00.000Z" } }),
  });
  try {
    assert.equal(
      stateList({ cwd: other }).records.map((r) => r.id),
      ["ghost"],
    );
    assert.match(
      await refusal(stateRm(["ghost"], { cwd: other })),
      "decom.state.json does not exist yet: the first apply was interrupted before writing it",
    );
    assert.equal(readdirSync(other), ["decom.state.json.journal"]);
  } finally {
    remove();
  }
});

/** The summary of the DecomError `work` rejects with. */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    assert.instance(err, DecomError);
    return (err as DecomError).diagnostics[0]!.summary;
  }
  assert.unreachable("it was refused");
  return "";
}

test.run();
