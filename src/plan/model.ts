/**
 * A plan is plain data: what will change, why, and the exact batch bodies that
 * will do it, in order. It does no I/O; `planfile.ts` reads and writes it.
 */
import type { CascadeOption, ManifestPosition } from "../manifest/model.js";
import type { EntityKind, StateIdentity } from "../state/model.js";
import type { DeleteBatchBody, ResourceFacts, ResourceTypeFacts } from "../waylay/wire.js";

/**
 * 2: saved plans carry `digest`. 3: a change's `reason` is a code with its
 * facts, not a sentence (views write the words). 4: a deletion carries what
 * the id is (name, type, parent); a version 3 plan lacks them, and shown by
 * this decom would read as if its resources had no name. Older plans are
 * refused: a plan is made and applied by the same decom, as in Terraform.
 */
export const PLAN_FORMAT_VERSION = 4;

/**
 * delete: sent in a batch. absent: does not exist; recorded in state with no
 * call. forget: dropped from state with no call.
 */
export type Action = "delete" | "absent" | "forget";

export interface Change {
  kind: EntityKind;
  id: string;
  action: Action;
  reason: ChangeReason;
  /** The manifest entry that names the id (`id` for an explicit entry). */
  entry: string;
  /** Resources being deleted: the cascade set their batch carries. */
  cascade?: CascadeOption[];
  /**
   * What a `delete` change's id is, as the planning lookups found it, when the
   * tenant gives it: the resource's or resource type's name, a resource's type
   * and parent. Information for the reviewer: apply deletes the ids of the
   * batches, whatever these say, and the digest tells an edit of them.
   */
  name?: string;
  parentId?: string;
  resourceTypeId?: string;
}

/** The attributes a change may carry, per kind; anything else in a saved plan was not written by decom. */
export const CHANGE_ATTRIBUTES = {
  resource: ["name", "parentId", "resourceTypeId"],
  resourceType: ["name"],
} as const satisfies Record<EntityKind, readonly (keyof Change)[]>;

/**
 * Why a change is planned: a code and the facts behind it. The planner decides
 * the code; the words are the views' (views/change-reason.ts), so rewording
 * one touches no planner file.
 */
export type ChangeReason =
  /** delete: the manifest names it (explicitly or by a selector) and it exists. */
  | { code: "in-manifest" }
  /** delete: decom deleted it (`time`), and it exists again. */
  | { code: "recreated"; time: string }
  /** delete: it was absent when decom last looked (`time`), and exists now. */
  | { code: "created-since-absent"; time: string }
  /** delete: the last attempt failed, with the server's status and text when it gave them. */
  | { code: "retry-failed"; error?: string; statusCode?: number }
  /** absent: named but not on the tenant, and never seen by decom. */
  | { code: "not-found" }
  /** absent: its last deletion failed, and it is gone now. */
  | { code: "gone-since-failure" }
  /** forget: its explicit entry is no longer in the manifest. */
  | { code: "entry-removed" }
  /** forget: the selector that brought it in is no longer in the manifest. */
  | { code: "selector-removed" };

export type ChangeReasonCode = ChangeReason["code"];

/** The codes whose reason is the code alone. */
export type BareReasonCode = Exclude<ChangeReason, { time: string } | { code: "retry-failed" }>["code"];

/**
 * The reasons that are their code alone, one frozen object each, shared by
 * every change that has it, planned or read back from a saved plan: a plan
 * of a million changes holds one of each, not a million.
 */
export const BARE_REASONS: Readonly<Record<BareReasonCode, ChangeReason>> = Object.freeze({
  "in-manifest": Object.freeze({ code: "in-manifest" }),
  "not-found": Object.freeze({ code: "not-found" }),
  "gone-since-failure": Object.freeze({ code: "gone-since-failure" }),
  "entry-removed": Object.freeze({ code: "entry-removed" }),
  "selector-removed": Object.freeze({ code: "selector-removed" }),
});

/** The action each reason explains: a plan whose change pairs them otherwise was edited. */
export const REASON_ACTION: Readonly<Record<ChangeReasonCode, Action>> = {
  "in-manifest": "delete",
  recreated: "delete",
  "created-since-absent": "delete",
  "retry-failed": "delete",
  "not-found": "absent",
  "gone-since-failure": "absent",
  "entry-removed": "forget",
  "selector-removed": "forget",
};

export interface PlannedBatch {
  body: DeleteBatchBody;
}

/** Batches that may run in parallel; each wave starts when the previous one has finished. */
export interface Wave {
  kind: EntityKind;
  batches: PlannedBatch[];
}

/**
 * Why a plan must not be applied as it stands. A blocked plan has no waves, and
 * apply refuses it; it is still saved so that a pull request can show why.
 */
export type Blocker =
  /** Deleting `id` would fail: it has children the plan does not delete. */
  | ({ code: "children-outside-plan"; kind: "resource"; id: string; ids: string[]; count: number } & FromManifest)
  /** Resources the plan does not delete refer to `id` (checked with `--check-referrers`): deleting it would fail. */
  | ({ code: "referenced-outside-plan"; kind: "resource"; id: string; ids: string[]; count: number } & FromManifest)
  /** Deleting type `id` would fail: resources the plan does not delete still use it. */
  | ({ code: "type-in-use"; kind: "resourceType"; id: string; ids: string[]; count: number } & FromManifest)
  /** A selector matched a resource listed under protect.resources. */
  | ({ code: "protected-resource"; kind: "resource"; id: string; entry: string } & FromManifest)
  /** A resource type listed under protect.resourceTypes (only an edited saved plan can hold one). */
  | ({ code: "protected-resource-type"; kind: "resourceType"; id: string; entry: string } & FromManifest)
  /**
   * A batch of an earlier apply, still in flight, holds ids this plan would
   * delete again (`batchId` unless its POST was never acknowledged).
   */
  | { code: "in-flight"; kind: EntityKind; batchId?: string; ids: string[]; count: number }
  /** More deletions than guard.maxDeletes allows. */
  | ({ code: "max-deletes"; deletes: number; limit: number } & FromManifest);

/**
 * Where in the manifest (the one whose sha256 the plan records) the entry a
 * blocker comes from is written: the entry that names the id, or
 * guard.maxDeletes. Absent when the manifest was not read from a file.
 */
interface FromManifest {
  source?: ManifestPosition;
}

/** How many resources a selector matched when the plan was made (the ids are in the changes). */
export interface SelectorMatch {
  entry: string;
  matched: number;
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  decomVersion: string;
  endpoint: string;
  manifest: { sha256: string };
  state: StateIdentity;
  batchSize: number;
  /** `--target` ids the plan was limited to (with what they depend on); empty for a full plan. */
  targets: string[];
  selectors: SelectorMatch[];
  blockers: Blocker[];
  changes: Change[];
  waves: Wave[];
  /**
   * In a saved plan: `sha256:` and the hex digest of the rest of the plan's
   * canonical JSON, so that apply can tell any edit made after `plan` wrote it.
   */
  digest?: string;
}

/** What the tenant holds now, for the ids the manifest and state name. */
export interface LiveFacts {
  /** Every resource named explicitly and found, and every resource a selector matched. */
  resources: Map<string, ResourceFacts>;
  resourceTypes: Map<string, ResourceTypeFacts>;
  /** Selector entry → the ids it matched, sorted. */
  matches: Map<string, string[]>;
}

/** Dependents of the deletion set that the plan does not delete: a sample and a count per blocked id. */
export interface OutsideDependents {
  /** parent id → its children outside the plan */
  children: Map<string, { ids: string[]; count: number }>;
  /** resource type id → its resources outside the plan */
  typeUsers: Map<string, { ids: string[]; count: number }>;
  /** resource id → the resources outside the plan that refer to it (empty unless referrers were checked) */
  referrers: Map<string, { ids: string[]; count: number }>;
  /** resource id → the resources the plan also deletes that refer to it: deleted before it (empty unless referrers were checked) */
  referrersInPlan?: Map<string, string[]>;
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

export function isBlocked(plan: Plan): boolean {
  return plan.blockers.length > 0;
}

/** How many ids a blocker message names before it says "and N more". */
export const SAMPLE_SIZE = 10;
