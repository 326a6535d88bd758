/**
 * The state as the next run would find it, read without the lock and without
 * writing anything: the state file plus what an interrupted apply's journal
 * recorded and nobody has compacted yet. For commands that only look.
 */
import { localDisk, type Disk } from "../files/disk.js";
import { foldRecord, journalPathFor, type InFlightBySeq } from "./journal.js";
import type { State } from "./model.js";
import { journalStanding, readStateAndJournal } from "./session.js";

export interface SnapshotOptions {
  statePath: string;
  /** How messages name the state file. */
  shownAs: string;
  /** How a message saying it is no state file at all names it (default: shownAs). */
  namedAs?: string;
  disk?: Disk;
}

export interface StateSnapshot {
  state: State;
  /** The journal whose records are folded in (as shown), when an interrupted apply left one. */
  journal?: string;
}

/** Null when there is neither a state file nor a journal: nothing has been applied with it yet. */
export function readStateSnapshot(options: SnapshotOptions): StateSnapshot | null {
  const disk = options.disk ?? localDisk;
  const journalShown = journalPathFor(options.shownAs);
  const { text, records, begin, state } = readStateAndJournal(disk, options, "");
  if (state === null) return null;
  if (!begin || journalStanding(begin, state, text !== undefined, options.shownAs, journalShown) === "compacted") return { state };
  const inFlight: InFlightBySeq = new Map();
  state.inFlight.forEach((batch, seq) => {
    inFlight.set(seq, batch);
  });
  for (const record of records) foldRecord(state, inFlight, record);
  state.inFlight = [...inFlight.values()];
  return { state, journal: journalShown };
}
