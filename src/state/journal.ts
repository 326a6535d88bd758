/**
 * The write-ahead journal of an apply: one JSON record per line, each on disk
 * before decom acts on it. Before a batch is POSTed its ids are journaled; after
 * the 202 its batch id; when it ends, each id's outcome. Folding the records
 * into the state (`foldRecord`) is the one way an apply changes the state, so a
 * replay after a crash ends exactly where the crashed process was. Appends cost
 * bytes in proportion to the ids they mention: the whole apply writes linearly
 * in its work, and the state file is rewritten once, when the journal is
 * compacted into it.
 */
import { DecomError, error } from "../diagnostics.js";
import { JOURNAL_RECORD_KINDS, validateJournalRecord, validateJournalRecordOf } from "../schemas.js";
import { quoted } from "../text/escape.js";
import { EXPLICIT_ENTRY, type CascadeOption } from "../manifest/model.js";
import { HISTORY_LENGTH, latestApply, type EntityKind, type InFlightBatch, type State, type StateRecord } from "./model.js";

/** First line: the state this journal continues, and how many in-flight batches it inherited (seq 0…n-1). */
export interface JournalBegin {
  lineage: string;
  endpoint?: string;
  serial: number;
  inherited: number;
}

export type JournalRecord =
  | { begin: JournalBegin }
  /**
   * An apply begins: what follows is its work, until the next `apply`. It
   * carries the saved plan's digest (if any), the serial its plan was made
   * against, and the manifest it applies (relative to the state's folder).
   */
  | { apply: { number: number; plan?: string; basedOn: number; manifest?: string; time: string } }
  /** Changes that need no call: absent ids recorded, forgotten ids dropped. */
  | { recorded: { kind: EntityKind; absent: Record<string, string>; forget: string[]; time: string } }
  /** `decom state rm`: records forgotten by hand, outside any apply. */
  | { removed: { kind: EntityKind; ids: string[]; time: string } }
  /** About to POST batch `seq`. */
  | { submit: { seq: number; kind: EntityKind; ids: Record<string, string>; cascade?: CascadeOption[]; time: string } }
  /** The service acknowledged batch `seq`. */
  | { accepted: { seq: number; batchId: string; statusUrl: string } }
  /**
   * Batch `seq` is settled: each id it names has its outcome. An id it does not
   * name was never taken (a lost submission whose id is still there) and is
   * submitted again or planned again.
   */
  | {
      finished: {
        seq: number;
        time: string;
        batchId?: string;
        deleted: string[];
        absent: string[];
        failed: Record<string, { statusCode?: number; error: string }>;
      };
    };

export function journalPathFor(statePath: string): string {
  return `${statePath}.journal`;
}

export function serializeRecord(record: JournalRecord): string {
  return JSON.stringify(record) + "\n";
}

/**
 * Parses a journal, every record validated against `schemas/journal.schema.json`.
 * A last line cut short by a crash is ignored (its action had not started:
 * every record is written before the step it describes). Any other line that
 * is not a valid record is corruption, refused untouched.
 */
export function parseJournal(text: string, shownAs: string): JournalRecord[] {
  const lines = text.split("\n");
  const records: JournalRecord[] = [];
  const batches = new BatchSequence();
  const corrupt = (index: number, why: string) =>
    new DecomError(
      error(
        "journal.corrupt",
        `${shownAs}:${index + 1}: ${why}; ` +
          "the journal was not modified (restore it from where it was copied, or remove it to give up what it records)",
      ),
    );
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      const isLast = lines.slice(index + 1).every((rest) => rest.trim() === "");
      if (isLast) return;
      throw corrupt(index, "not a journal record (not JSON)");
    }
    if (!validateJournalRecord(data)) throw corrupt(index, `not a journal record (${describeRecordErrors(data)})`);
    const record = data as JournalRecord;
    if ((records.length === 0) !== "begin" in record) {
      throw corrupt(index, records.length === 0 ? "a journal starts with a begin record" : "a begin record after the first line");
    }
    const contradiction = batches.check(record);
    if (contradiction) throw corrupt(index, contradiction);
    records.push(record);
  });
  return records;
}

/**
 * Records that are each valid can still contradict each other: a batch
 * submitted twice, or acknowledged or finished without being in flight. Such a
 * journal was not written by decom, and replaying it would record nonsense.
 */
class BatchSequence {
  /** Submitted in this journal and not finished: seq → its ids (inherited batches' ids are in the state file). */
  private readonly open = new Map<number, Set<string> | undefined>();
  private readonly seen = new Set<number>();
  private readonly acknowledged = new Set<number>();

  check(record: JournalRecord): string | undefined {
    if ("begin" in record) {
      for (let seq = 0; seq < record.begin.inherited; seq++) {
        this.open.set(seq, undefined);
        this.seen.add(seq);
      }
      return undefined;
    }
    if ("submit" in record) {
      const { seq } = record.submit;
      if (this.seen.has(seq)) return `batch ${seq} is submitted a second time`;
      this.seen.add(seq);
      this.open.set(seq, new Set(Object.keys(record.submit.ids)));
      return undefined;
    }
    if ("accepted" in record) {
      const { seq } = record.accepted;
      if (!this.open.has(seq)) return `batch ${seq} is acknowledged, but it is not in flight`;
      if (this.acknowledged.has(seq)) return `batch ${seq} is acknowledged a second time`;
      this.acknowledged.add(seq);
      return undefined;
    }
    if ("finished" in record) {
      const { seq, deleted, absent, failed } = record.finished;
      if (!this.open.has(seq)) return `batch ${seq} is finished, but it is not in flight`;
      const ids = this.open.get(seq);
      const stranger = ids && [...deleted, ...absent, ...Object.keys(failed)].find((id) => !ids.has(id));
      if (stranger !== undefined) return `batch ${seq} records an outcome for ${quoted(stranger)}, which it did not hold`;
      this.open.delete(seq);
    }
    return undefined;
  }
}

/** Why a record is not one: checked against the definition its first key names, so the errors are about its own fields. */
function describeRecordErrors(data: unknown): string {
  const key = data !== null && typeof data === "object" && !Array.isArray(data) ? Object.keys(data)[0] : undefined;
  if (key === undefined) return `expected an object with one of ${JOURNAL_RECORD_KINDS.join(", ")}`;
  const validate = validateJournalRecordOf.get(key);
  if (!validate) return `unknown record ${quoted(key)}`;
  validate(data);
  return (validate.errors ?? [])
    .map(
      (e) =>
        `${e.instancePath || "/"} <- ${e.message ?? e.keyword}` +
        (e.keyword === "additionalProperties" ? ` (${quoted(String(e.params.additionalProperty))})` : ""),
    )
    .join("; ");
}

/** In-flight batches by sequence number, while a journal is being written or replayed. */
export type InFlightBySeq = Map<number, InFlightBatch>;

/**
 * Applies one record to the state. The only mutation path of an apply. Returns
 * whether the record is the work of the state's latest apply (or starts one):
 * a session that compacts nothing else lets that apply claim the serial it
 * writes (`AppliedPlan.through`).
 */
export function foldRecord(state: State, inFlight: InFlightBySeq, record: JournalRecord): boolean {
  if ("begin" in record) return true;
  const latest = latestApply(state)?.number;
  if ("apply" in record) {
    const { number, plan, basedOn, manifest, time } = record.apply;
    state.applies.push({ number, ...(plan !== undefined ? { plan } : {}), basedOn, started: time, through: state.serial });
    if (manifest !== undefined) state.manifest = manifest;
    return true;
  }
  if ("recorded" in record) {
    const { kind, absent, forget, time } = record.recorded;
    for (const id of forget) state[kind].delete(id);
    for (const [id, entry] of Object.entries(absent)) {
      putOutcome(state, kind, id, stateRecord({ apply: latest, entry, status: "absent", time }));
    }
    return true;
  }
  if ("removed" in record) {
    for (const id of record.removed.ids) state[record.removed.kind].delete(id);
    // Not the latest apply's work: a re-run of its saved plan is stale after it, as after any other write.
    return false;
  }
  if ("submit" in record) {
    const { seq, kind, ids, cascade, time } = record.submit;
    const batch: InFlightBatch = { kind, ids: new Map(Object.entries(ids)), submitted: time };
    if (cascade) batch.cascade = cascade;
    if (latest !== undefined) batch.apply = latest;
    inFlight.set(seq, batch);
    return true;
  }
  if ("accepted" in record) {
    const batch = inFlight.get(record.accepted.seq);
    if (batch) {
      batch.batchId = record.accepted.batchId;
      batch.statusUrl = record.accepted.statusUrl;
    }
    return batch === undefined || batch.apply === latest;
  }
  const { seq, time, deleted, absent, failed } = record.finished;
  const batch = inFlight.get(seq);
  if (!batch) return true;
  const batchId = record.finished.batchId ?? batch.batchId;
  const put = (id: string, status: StateRecord["status"], failure?: { statusCode?: number; error: string }) => {
    const outcome = stateRecord({
      apply: batch.apply,
      batchId: batchId || undefined,
      cascade: batch.cascade,
      entry: batch.ids.get(id) ?? EXPLICIT_ENTRY,
      error: failure?.error,
      status,
      statusCode: failure?.statusCode,
      time,
    });
    putOutcome(state, batch.kind, id, outcome);
  };
  for (const id of deleted) put(id, "deleted");
  for (const id of absent) put(id, "absent");
  for (const [id, f] of Object.entries(failed)) put(id, "failed", f);
  inFlight.delete(seq);
  return batch.apply === latest;
}

/** Records `outcome` for `id`, keeping the outcome it replaces (and that one's history) newest first. */
function putOutcome(state: State, kind: EntityKind, id: string, outcome: StateRecord): void {
  const prior = state[kind].get(id);
  if (prior) {
    const { history, ...replaced } = prior;
    outcome = stateRecord({ ...outcome, history: [replaced, ...(history ?? [])].slice(0, HISTORY_LENGTH) });
  }
  state[kind].set(id, outcome);
}

/** What a record holds; an optional field may be given as undefined, and is then left out. */
type RecordFields = { [K in keyof StateRecord]?: StateRecord[K] | undefined } & Pick<StateRecord, "entry" | "status" | "time">;

/**
 * A record with the fields that are defined, added one by one in key order:
 * the state file is written without copying its records (files/canonical-json.ts),
 * and records built alike share a hidden class. An object literal that starts
 * with a spread gave each record its own (about 250 bytes an id, held all apply).
 */
function stateRecord(fields: RecordFields): StateRecord {
  const record = {} as StateRecord;
  if (fields.apply !== undefined) record.apply = fields.apply;
  if (fields.batchId !== undefined) record.batchId = fields.batchId;
  if (fields.cascade !== undefined) record.cascade = fields.cascade;
  record.entry = fields.entry;
  if (fields.error !== undefined) record.error = fields.error;
  if (fields.history !== undefined) record.history = fields.history;
  record.status = fields.status;
  if (fields.statusCode !== undefined) record.statusCode = fields.statusCode;
  record.time = fields.time;
  return record;
}
