/**
 * A plan is plain data: what will change, why, and the exact batch bodies that
 * will do it, in order. It does no I/O; `planfile.ts` reads and writes it.
 */
import type { CascadeOption } from "../manifest/model.js";
import type { EntityKind, StateIdentity } from "../state/model.js";
import type { DeleteBatchBody, ResourceFacts } from "../waylay/wire.js";

export const PLAN_FORMAT_VERSION = 1;

/**
 * delete: sent in a batch. absent: does not exist; recorded in state with no
 * call. forget: dropped from state with no call.
 */
export type Action = "delete" | "absent" | "forget";

export interface Change {
  kind: EntityKind;
  id: string;
  action: Action;
  reason: string;
  /** The manifest entry that names the id (`id` for an explicit entry). */
  entry: string;
  /** Resources being deleted: the cascade set their batch carries. */
  cascade?: CascadeOption[];
}

export interface PlannedBatch {
  body: DeleteBatchBody;
}

/** Batches that may run in parallel; each wave starts when the previous one has finished. */
export interface Wave {
  kind: EntityKind;
  batches: PlannedBatch[];
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  decomVersion: string;
  endpoint: string;
  manifest: { sha256: string };
  state: StateIdentity;
  batchSize: number;
  changes: Change[];
  waves: Wave[];
}

/** What the tenant holds now, for the ids the manifest and state name. */
export interface LiveFacts {
  resources: Map<string, ResourceFacts>;
  resourceTypes: Set<string>;
}

export interface PlanSummary {
  delete: number;
  absent: number;
  forget: number;
}

export function summarize(changes: readonly Change[]): PlanSummary {
  const summary: PlanSummary = { delete: 0, absent: 0, forget: 0 };
  for (const change of changes) summary[change.action]++;
  return summary;
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0;
}
