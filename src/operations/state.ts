/**
 * `stateList`, `stateShow` and `stateRm`: what `decom state list|show|rm` do,
 * as functions, as Terraform's state commands. None reaches the tenant or
 * needs credentials. list and show only read (no lock: they write nothing, and
 * read the journal before the state, see readStateSnapshot); rm takes the
 * lock, journals what it forgets and compacts it into the state (serial + 1).
 */
import { existsSync } from "node:fs";
import { fail, warning, type Diagnostic } from "../diagnostics.js";
import { journalPathFor } from "../state/journal.js";
import { ENTITY_KINDS, type InFlightBatch, type RecordStatus, type State } from "../state/model.js";
import { listRecords, RECORD_STATUSES, recordsOf, type ListedRecord, type ShownRecord } from "../state/records.js";
import { readStateSnapshot } from "../state/snapshot.js";
import { quoted } from "../text/escape.js";
import { count } from "../text/plural.js";
import type { ConnectOptions, LockWaitOptions, WorkspaceOptions } from "./options.js";
import { checkGivenFiles, checkStateManifest, lockStateFile, resolvePaths, type Paths } from "./workspace.js";

export { RECORD_STATUSES, type ListedRecord, type ShownRecord } from "../state/records.js";

export interface StateOptions extends Pick<WorkspaceOptions, "manifest" | "state" | "cwd" | "disk"> {
  /** An interrupted apply's journal read with the state, ids still in flight, a lock that could not be removed. */
  onWarning?: ConnectOptions["onWarning"];
}

export interface StateListOptions extends StateOptions {
  /** Only records with this status. */
  status?: RecordStatus;
}

export interface StateListResult {
  /** The state file, as its path is shown. */
  state: string;
  /** By kind (resources first), then id in code-unit order. */
  records: ListedRecord[];
}

export function stateList(options: StateListOptions = {}): StateListResult {
  if (options.status !== undefined && !RECORD_STATUSES.includes(options.status))
    fail("usage.invalid", `status must be one of ${RECORD_STATUSES.join(", ")}, got ${quoted(String(options.status))}`);
  const { paths, state } = readState(options);
  return { state: paths.state, records: listRecords(state, options.status) };
}

export interface StateShowResult {
  state: string;
  id: string;
  /** One per kind that has a record of the id: a resource and a resource type may share it. */
  records: ShownRecord[];
}

/** An id with no record is a DecomError naming it and the state file. */
export function stateShow(id: string, options: StateOptions = {}): StateShowResult {
  const { paths, state } = readState(options);
  const records = recordsOf(state, id);
  if (records.length === 0) {
    const batch = inFlightWith(state.inFlight, id);
    if (batch)
      fail("state.in-flight", `${quoted(id)} has no record yet: it is ${inFlightWords(batch)}; the next decom plan or apply follows it`);
    fail("state.unknown-id", `${quoted(id)} is not in ${paths.state}`);
  }
  return { state: paths.state, id, records };
}

export interface StateRmOptions extends StateOptions, LockWaitOptions {
  /** Stops a wait for the lock (`lockTimeoutMs`): the outcome is then `interrupted`, and nothing was read or removed. */
  stop?: AbortSignal;
  /**
   * Asked with the records about to be forgotten, under the lock: whether to go
   * ahead. Without it, they are forgotten (the library's --auto-approve).
   */
  approve?: (records: ListedRecord[]) => boolean | Promise<boolean>;
}

export type StateRmOutcome =
  | { status: "removed"; state: string; removed: ListedRecord[]; serial: number }
  | { status: "cancelled"; state: string; records: ListedRecord[] }
  /** `stop` while waiting for the lock: nothing was read or removed. */
  | { status: "interrupted"; state: string };

/**
 * Forgets every record of each id (of either kind). An id with no record, or
 * in a batch still in flight, is a DecomError and nothing is removed. The
 * removal is a write of its own: a saved plan made before it is stale.
 */
export async function stateRm(ids: readonly string[], options: StateRmOptions = {}): Promise<StateRmOutcome> {
  if (ids.length === 0) fail("usage.missing-argument", "which ids? Name at least one");
  const cwd = options.cwd ?? process.cwd();
  const paths = statePaths(options);
  if (!existsSync(paths.stateAbsolute) && !existsSync(journalPathFor(paths.stateAbsolute))) missing(paths);
  const locked = await lockStateFile(paths, cwd, "decom state rm", options, options.stop);
  if (locked === undefined) return { status: "interrupted", state: paths.state };
  const { session, release } = locked;
  try {
    const state = session.current;
    if (state === null) return missing(paths);
    if (session.onlyInJournal)
      fail(
        "state.only-journal",
        `${paths.state} does not exist yet: the first apply was interrupted before writing it; ` +
          "run decom plan or decom apply first, which settle it; nothing was removed",
      );
    const wanted = [...new Set(ids)];
    const batches = session.inFlightBatches().map(([, batch]) => batch);
    const busy = wanted.find((id) => inFlightWith(batches, id));
    if (busy !== undefined) {
      const batch = inFlightWith(batches, busy)!;
      fail(
        "state.in-flight",
        `${batch.kind} ${quoted(busy)} is ${inFlightWords(batch)}; ` +
          "run decom plan or decom apply first, which follow it to its end; nothing was removed",
      );
    }
    const unknown = wanted.filter((id) => ENTITY_KINDS.every((kind) => !state[kind].has(id)));
    if (unknown.length > 0)
      fail("state.unknown-id", `${namedIds(unknown)} ${unknown.length === 1 ? "is" : "are"} not in ${paths.state}; nothing was removed`);
    const records = ENTITY_KINDS.flatMap((kind) =>
      wanted.filter((id) => state[kind].has(id)).map((id) => ({ kind, id, record: state[kind].get(id)! })),
    );
    if (options.approve && !(await options.approve(records))) return { status: "cancelled", state: paths.state, records };
    const time = new Date().toISOString();
    for (const kind of ENTITY_KINDS) {
      const forgotten = records.filter((r) => r.kind === kind).map((r) => r.id);
      if (forgotten.length > 0) session.append({ removed: { kind, ids: forgotten, time } });
    }
    session.compact();
    return { status: "removed", state: paths.state, removed: records, serial: state.serial };
  } finally {
    release();
  }
}

function statePaths(options: StateOptions): Paths {
  const cwd = options.cwd ?? process.cwd();
  checkGivenFiles(cwd, options.manifest, options.state);
  return resolvePaths(cwd, options.manifest, options.state);
}

/**
 * The state with whatever an interrupted apply journaled, read without the
 * lock; a state of another manifest, found by name, is refused as plan refuses it.
 */
function readState(options: StateOptions): { paths: Paths; state: State } {
  const paths = statePaths(options);
  const snapshot = readStateSnapshot({
    statePath: paths.stateAbsolute,
    shownAs: paths.state,
    namedAs: paths.stateNamed,
    ...(options.disk ? { disk: options.disk } : {}),
  });
  if (snapshot === null) return missing(paths);
  const { state, journal } = snapshot;
  checkStateManifest(state, paths, options.cwd ?? process.cwd());
  for (const w of stateWarnings(state, journal)) options.onWarning?.(w);
  return { paths, state };
}

function stateWarnings(state: State, journal: string | undefined): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  if (journal !== undefined)
    warnings.push(
      warning(
        "state.journal",
        `${journal} holds what an interrupted apply recorded and is shown with the state; the next decom plan or apply settles it`,
      ),
    );
  const inFlight = state.inFlight.reduce((n, b) => n + b.ids.size, 0);
  if (inFlight > 0)
    warnings.push(
      warning(
        "state.in-flight",
        `${count(inFlight, "id")} ${inFlight === 1 ? "is" : "are"} in batches still in flight, with no record until ` +
          "the next decom plan or apply follows them to their end",
      ),
    );
  return warnings;
}

function missing(paths: Paths): never {
  return fail("state.missing", `${paths.state} does not exist: nothing has been applied with it yet`);
}

function inFlightWith(batches: readonly InFlightBatch[], id: string): InFlightBatch | undefined {
  return batches.find((batch) => batch.ids.has(id));
}

function inFlightWords(batch: InFlightBatch): string {
  return batch.batchId !== undefined
    ? `in batch ${batch.batchId}, still in flight since ${batch.submitted}`
    : `in a batch submitted ${batch.submitted} and never acknowledged`;
}

/** `"a"`, `"a", "b"`, or the first five and how many more: one line, whatever was typed. */
function namedIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).map(quoted).join(", ");
  return ids.length > 5 ? `${shown} and ${count(ids.length - 5, "more id")}` : shown;
}
