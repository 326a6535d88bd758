/**
 * The state: what decom has done to one tenant. In memory, records live in Maps
 * (ids are user data: an id such as "__proto__" must be just another key); the
 * file form with plain objects lives in `state/file.ts`.
 */
import type { CascadeOption } from "../manifest/model.js";

export const STATE_VERSION = 1;

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
}

export interface State {
  version: typeof STATE_VERSION;
  /** The decom version that last wrote the file this was read from (absent for files older than the field, and for a new state). */
  decomVersion?: string;
  lineage: string;
  serial: number;
  endpoint: string;
  resource: Map<string, StateRecord>;
  resourceType: Map<string, StateRecord>;
  inFlight: InFlightBatch[];
}

export function emptyState(lineage: string, endpoint: string): State {
  return { version: STATE_VERSION, lineage, serial: 0, endpoint, resource: new Map(), resourceType: new Map(), inFlight: [] };
}

/** lineage/serial a plan records: `null`/0 when no state file existed yet. */
export interface StateIdentity {
  lineage: string | null;
  serial: number;
}

export function identityOf(state: State | null): StateIdentity {
  return state ? { lineage: state.lineage, serial: state.serial } : { lineage: null, serial: 0 };
}
