/**
 * The state: what decom has done to one tenant. In memory, records live in Maps
 * (ids are user data: an id such as "__proto__" must be just another key); the
 * file form with plain objects lives in `state/file.ts`.
 */
import type { CascadeOption } from "../manifest/model.js";

/** 2: the state records its manifest, its applies, and which apply wrote each record (with the outcomes it replaced). */
export const STATE_VERSION = 2;

export type EntityKind = "resource" | "resourceType";
export const ENTITY_KINDS: readonly EntityKind[] = ["resource", "resourceType"];

export type RecordStatus = "deleted" | "absent" | "failed";

export interface StateRecord {
  status: RecordStatus;
  /** ISO 8601 UTC time the outcome was recorded. */
  time: string;
  /** The manifest entry that brought the id in (`id` for an explicit entry). */
  entry: string;
  batchId?: string;
  cascade?: CascadeOption[];
  /** For failed records: what the batch reported. */
  statusCode?: number;
  error?: string;
  /** The apply (`AppliedPlan.number`) that recorded this outcome; absent for outcomes recorded before version 2. */
  apply?: number;
  /** The outcomes this one replaced, newest first (at most HISTORY_LENGTH). */
  history?: PriorOutcome[];
}

/** An outcome an id had before its current one. */
export type PriorOutcome = Omit<StateRecord, "history">;

/** How many replaced outcomes a record keeps: enough to tell a story of retries, not a log. */
export const HISTORY_LENGTH = 10;

/**
 * One apply, as the state remembers it: which saved plan it carried out (by
 * digest), against which serial, and the last serial it wrote. While `through`
 * equals the state's serial nothing else has written the state since, so a
 * re-run of the same saved plan continues this apply rather than being stale.
 */
export interface AppliedPlan {
  /** 1, 2, 3…: what records name in their `apply`. */
  number: number;
  /** The saved plan's digest; absent for an apply that made its own plan. */
  plan?: string;
  /** The state serial the plan was made against. */
  basedOn: number;
  /** When the apply began (ISO 8601, UTC). */
  started: string;
  /** The last serial the apply (or the recovery of its batches) wrote. */
  through: number;
}

/** A batch that was submitted (or about to be) and whose outcome is not known yet. */
export interface InFlightBatch {
  kind: EntityKind;
  /** id → the manifest entry that brought it in. */
  ids: Map<string, string>;
  cascade?: CascadeOption[];
  /** When decom was about to POST it. */
  submitted: string;
  /** Once the service acknowledged it (202). */
  batchId?: string;
  statusUrl?: string;
  /** The apply that submitted it (absent for batches submitted before version 2). */
  apply?: number;
}

export interface State {
  version: typeof STATE_VERSION;
  /** The decom version that last wrote the file this was read from (absent for files older than the field, and for a new state). */
  decomVersion?: string;
  lineage: string;
  serial: number;
  endpoint: string;
  /** The manifest this state belongs to, relative to the state file's folder, `/`-separated; absent until the first apply records it. */
  manifest?: string;
  /** Every apply, oldest first. */
  applies: AppliedPlan[];
  resource: Map<string, StateRecord>;
  resourceType: Map<string, StateRecord>;
  inFlight: InFlightBatch[];
}

export function emptyState(lineage: string, endpoint: string): State {
  return {
    version: STATE_VERSION,
    lineage,
    serial: 0,
    endpoint,
    applies: [],
    resource: new Map(),
    resourceType: new Map(),
    inFlight: [],
  };
}

/** lineage/serial a plan records: `null`/0 when no state file existed yet. */
export interface StateIdentity {
  lineage: string | null;
  serial: number;
}

export function identityOf(state: State | null): StateIdentity {
  return state ? { lineage: state.lineage, serial: state.serial } : { lineage: null, serial: 0 };
}

/** The most recent apply, if any. */
export function latestApply(state: State): AppliedPlan | undefined {
  return state.applies.at(-1);
}
