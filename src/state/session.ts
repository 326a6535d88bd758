/**
 * The state while an apply (or a resuming plan) works on it: the state file
 * plus its journal. Every change is first appended to the journal, durably,
 * then folded into memory; `compact` writes the state file once, atomically,
 * and removes the journal. A session opened after a crash replays the journal
 * it finds, so nothing recorded is lost.
 */
import { DecomError, error } from "../diagnostics.js";
import { count } from "../text/plural.js";
import { localDisk, type AppendLog, type Disk } from "../files/disk.js";
import { fileError, fsReason } from "../files/fs-error.js";
import { DECOM_VERSION } from "../version.js";
import { parseState, stateFilePieces } from "./file.js";
import {
  foldRecord,
  journalPathFor,
  parseJournal,
  serializeRecord,
  type InFlightBySeq,
  type JournalBegin,
  type JournalRecord,
} from "./journal.js";
import { emptyState, latestApply, type InFlightBatch, type State } from "./model.js";

export interface SessionOptions {
  statePath: string;
  /** How messages name the state file. */
  shownAs: string;
  /** How a message saying it is no state file at all names it: `--state decom.yaml` (default: shownAs). */
  namedAs?: string;
  endpoint: string;
  newLineage: () => string;
  disk?: Disk;
}

export class StateSession {
  /** The state as it stands, including everything journaled so far. */
  readonly state: State;
  private existed: boolean;
  private readonly inFlight: InFlightBySeq = new Map();
  private readonly disk: Disk;
  private readonly journalPath: string;
  private log: AppendLog | undefined;
  private nextSeq: number;
  /** How many in-flight batches the state file held (journal seq 0…inherited-1). */
  private inherited: number;
  private dirty = false;
  /** Something not of the latest apply was recorded since the state file was written: that apply may not claim the next serial. */
  private foreign = false;
  /** Closing is final: nothing is appended or written once the lock may be released. */
  private closed = false;
  /** Set when a write failed: nothing more may be recorded in this session. */
  private broken: unknown;

  private constructor(
    private readonly options: SessionOptions,
    state: State,
    existed: boolean,
    /** The state comes from a journal alone: the first apply died before writing the state file. */
    readonly onlyInJournal: boolean,
  ) {
    this.disk = options.disk ?? localDisk;
    this.journalPath = journalPathFor(options.statePath);
    this.state = state;
    this.existed = existed;
    state.inFlight.forEach((batch, seq) => {
      this.inFlight.set(seq, batch);
    });
    this.nextSeq = state.inFlight.length;
    this.inherited = state.inFlight.length;
  }

  static open(options: SessionOptions): StateSession {
    const disk = options.disk ?? localDisk;
    const journalShown = journalPathFor(options.shownAs);
    const { text, journalText, records, begin, state } = readStateAndJournal(disk, options, options.endpoint);
    const session = new StateSession(
      options,
      state ?? emptyState(options.newLineage(), options.endpoint),
      state !== null,
      text === undefined && state !== null,
    );
    if (!begin) {
      // Only a line cut short by a crash: nothing was recorded, and nothing may be appended to it.
      if (journalText !== undefined) disk.remove(journalPathFor(options.statePath));
      return session;
    }
    if (journalStanding(begin, session.state, text !== undefined, options.shownAs, journalShown) === "compacted") {
      disk.remove(journalPathFor(options.statePath));
      return session;
    }
    // A last line cut short by a crash is dropped before appending, or the next record would be glued to it.
    if (journalText !== undefined && !journalText.endsWith("\n"))
      disk.writeAtomic(journalPathFor(options.statePath), records.map(serializeRecord));
    session.replay(records, begin.inherited);
    return session;
  }

  /** The state, or null while no state file exists yet (what a plan records as "no state"). */
  get current(): State | null {
    return this.existed ? this.state : null;
  }

  /** In-flight batches, oldest first, with the sequence numbers the journal knows them by. */
  inFlightBatches(): [number, InFlightBatch][] {
    return [...this.inFlight.entries()];
  }

  /** Whether anything has been recorded that the state file does not hold yet. */
  get hasUncompactedChanges(): boolean {
    return this.dirty;
  }

  /** Appends a record durably, then applies it. */
  append(record: JournalRecord): void {
    this.ensureOpen();
    try {
      if (!this.log) {
        this.log = this.disk.openLog(this.journalPath);
        this.log.append(
          serializeRecord({
            begin: { endpoint: this.state.endpoint, inherited: this.inherited, lineage: this.state.lineage, serial: this.state.serial },
          }),
        );
      }
      this.log.append(serializeRecord(record));
    } catch (err) {
      // A line may be half written: nothing more may follow it. The step it describes is not taken.
      throw this.fail(
        err,
        `cannot write ${this.journalShown}`,
        "decom stopped before the step it could not record; what it recorded before is in the journal, " +
          "and the next apply or plan takes it from there once the folder is writable again",
      );
    }
    if (!foldRecord(this.state, this.inFlight, record)) this.foreign = true;
    this.dirty = true;
  }

  /**
   * Journals the start of an apply, numbered after the latest one: what is
   * recorded from here on is its work. `plan` is the saved plan's digest.
   */
  beginApply(facts: { plan?: string; basedOn: number; manifest?: string; time: string }): number {
    const number = (latestApply(this.state)?.number ?? 0) + 1;
    const { plan, manifest } = facts;
    this.append({
      apply: {
        number,
        ...(plan !== undefined ? { plan } : {}),
        basedOn: facts.basedOn,
        ...(manifest !== undefined ? { manifest } : {}),
        time: facts.time,
      },
    });
    return number;
  }

  /** A fresh sequence number for a batch about to be submitted. */
  nextBatchSeq(): number {
    return this.nextSeq++;
  }

  /**
   * Writes the state file (serial + 1) with whatever is still in flight, then
   * removes the journal. Does nothing when nothing changed.
   */
  compact(): void {
    if (!this.dirty) return;
    this.ensureOpen();
    this.state.inFlight = [...this.inFlight.values()];
    // Only the latest apply's own work lets it claim this serial, and only while it holds the last one:
    // once anything else has written the state (a state rm between two runs), that apply is overtaken for good.
    const latest = this.foreign ? undefined : latestApply(this.state);
    const claimant = latest?.through === this.state.serial ? latest : undefined;
    this.state.serial += 1;
    const claimed = claimant?.through;
    if (claimant) claimant.through = this.state.serial;
    try {
      this.disk.writeAtomic(this.options.statePath, stateFilePieces(this.state, DECOM_VERSION));
      this.state.decomVersion = DECOM_VERSION;
    } catch (err) {
      this.state.serial -= 1;
      if (claimant) claimant.through = claimed!;
      throw this.fail(
        err,
        `cannot write ${this.options.shownAs}`,
        `everything this run recorded is in ${this.journalShown}, ` +
          "and the next apply or plan takes it from there once the folder is writable again",
        true,
      );
    }
    this.existed = true;
    this.log?.close();
    this.log = undefined;
    try {
      this.disk.remove(this.journalPath);
    } catch (err) {
      // Harmless to the next run (a journal older than its state is dropped), but this one must not append to it.
      throw this.fail(
        err,
        `cannot remove ${this.journalShown}`,
        `its records are in ${this.options.shownAs} now; remove it once the folder is writable again`,
      );
    }
    this.inFlight.clear();
    this.state.inFlight.forEach((batch, seq) => {
      this.inFlight.set(seq, batch);
    });
    this.nextSeq = this.state.inFlight.length;
    this.inherited = this.state.inFlight.length;
    this.dirty = false;
    this.foreign = false;
  }

  /**
   * Ends the session for good, without compacting: whatever is journaled and
   * not compacted stays in the journal for the next run. Called before the lock
   * is released, so that work still under way can never write without it.
   */
  close(): void {
    this.closed = true;
    this.log?.close();
    this.log = undefined;
  }

  private ensureOpen(): void {
    if (this.broken) throw this.broken;
    if (this.closed) throw new SessionClosedError(this.options.shownAs);
  }

  private get journalShown(): string {
    return journalPathFor(this.options.shownAs);
  }

  /** A file that cannot be written ends the session: the error names the file, why, and what the next run finds. */
  private fail(err: unknown, what: string, next: string, creating = false): unknown {
    const why = fsReason(err, creating);
    this.broken = why === undefined ? err : new DecomError(error("state.unwritable", `${what}: ${why}; ${next}`));
    try {
      this.log?.close();
    } catch {
      // Closing a descriptor that could not be written tells nothing more.
    }
    this.log = undefined;
    return this.broken;
  }

  private replay(records: JournalRecord[], inherited: number): void {
    // The state file's inFlight list is what the journal numbered 0…inherited-1.
    this.inFlight.clear();
    this.state.inFlight.slice(0, inherited).forEach((batch, seq) => {
      this.inFlight.set(seq, batch);
    });
    this.inherited = inherited;
    let maxSeq = inherited - 1;
    for (const record of records) {
      if (!foldRecord(this.state, this.inFlight, record)) this.foreign = true;
      if ("submit" in record) maxSeq = Math.max(maxSeq, record.submit.seq);
    }
    this.nextSeq = maxSeq + 1;
    this.dirty = true;
    // Keep appending to the same journal: its begin record still describes the state file on disk.
    this.log = this.disk.openLog(this.journalPath);
  }
}

/** Work that outlived its command tried to record something; it is refused, and the journal keeps what came before. */
export class SessionClosedError extends Error {
  override name = "SessionClosedError";
  constructor(shownAs: string) {
    super(`the session on ${shownAs} is closed; nothing more is recorded`);
  }
}

/** The state file and its journal as they are on disk, parsed; `state` is null when neither exists. */
export function readStateAndJournal(
  disk: Disk,
  files: { statePath: string; shownAs: string; namedAs?: string | undefined },
  /** The tenant of a state that exists only in a journal written before begin records named theirs. */
  endpoint: string,
) {
  const journalShown = journalPathFor(files.shownAs);
  // The journal first: an apply that compacts meanwhile (a reader without the lock) leaves a newer state beside
  // it, which the journal's serial shows to hold it already; read the other way round, a journal begun since
  // could meet an older state. Under the lock nothing compacts meanwhile, and the order does not matter.
  const journalText = readOrFail(disk, journalPathFor(files.statePath), journalShown);
  const text = readOrFail(disk, files.statePath, files.shownAs);
  const records = journalText === undefined ? [] : parseJournal(journalText, journalShown);
  const begin = records[0] && "begin" in records[0] ? records[0].begin : undefined;
  // A journal with no state file beside it (the first apply died before writing one) belongs to the tenant it names.
  const state =
    text !== undefined
      ? parseState(text, files.shownAs, files.namedAs)
      : begin
        ? emptyState(begin.lineage, begin.endpoint ?? endpoint)
        : null;
  return { text, journalText, records, begin, state };
}

/**
 * What a journal is to the state beside it: its continuation, to replay; or
 * already compacted into it (the crash came between writing the state and
 * removing the journal), to drop. A journal of another state is an error that
 * names both, and neither is modified. `state` is the file's (`fileRead`), or
 * the empty state the journal's begin record founds when there is no file.
 */
export function journalStanding(
  begin: JournalBegin,
  state: State,
  fileRead: boolean,
  shownAs: string,
  journalShown: string,
): "continues" | "compacted" {
  if (begin.lineage !== state.lineage) {
    throw new DecomError(
      error(
        "journal.lineage",
        `${journalShown} belongs to state lineage ${begin.lineage}, not ${state.lineage} (${shownAs}); ` +
          "it was not modified. Restore the matching state file.",
      ),
    );
  }
  if (begin.serial < state.serial) return "compacted";
  const inherited = fileRead ? state.inFlight.length : 0;
  if (begin.serial !== state.serial || begin.inherited !== inherited) {
    throw new DecomError(
      error(
        "journal.mismatch",
        `${journalShown} continues state serial ${begin.serial} with ${count(begin.inherited, "batch", "batches")} in flight, ` +
          `and ${shownAs} ${fileRead ? `is at serial ${state.serial} with ${inherited}` : "does not exist"}; ` +
          "it was not modified. Restore the matching state file.",
      ),
    );
  }
  return "continues";
}

/** The file's text, or undefined when it does not exist; one that cannot be read (a directory, say) is an error naming it. */
export function readOrFail(disk: Disk, path: string, shownAs: string): string | undefined {
  try {
    return disk.readText(path);
  } catch (err) {
    throw fileError("state.unreadable", `cannot read ${shownAs}`, err);
  }
}
