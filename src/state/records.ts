/**
 * A state's records as the state commands name them: by kind and id, with the
 * apply that recorded each outcome. Pure.
 */
import { compareStrings } from "../text/compare.js";
import {
  ENTITY_KINDS,
  type AppliedPlan,
  type EntityKind,
  type PriorOutcome,
  type RecordStatus,
  type State,
  type StateRecord,
} from "./model.js";

export const RECORD_STATUSES: readonly RecordStatus[] = ["deleted", "absent", "failed"];

/** One record, with what names it. */
export interface ListedRecord {
  kind: EntityKind;
  id: string;
  record: StateRecord;
}

/** A record with the apply that recorded it and the outcomes it replaced, each with its apply. */
export interface ShownRecord extends ListedRecord {
  /** Absent for outcomes recorded before state version 2, which do not say. */
  applied?: AppliedPlan;
  /** Newest first. */
  history: { outcome: PriorOutcome; applied?: AppliedPlan }[];
}

/** By kind (resources first), then by id in code-unit order; only those of `status` if given. */
export function listRecords(state: State, status?: RecordStatus): ListedRecord[] {
  return ENTITY_KINDS.flatMap((kind) =>
    [...state[kind].keys()]
      .sort(compareStrings)
      .map((id) => ({ kind, id, record: state[kind].get(id)! }))
      .filter((listed) => status === undefined || listed.record.status === status),
  );
}

/** Every record of `id`: a resource and a resource type may share it. */
export function recordsOf(state: State, id: string): ShownRecord[] {
  const applies = new Map(state.applies.map((a) => [a.number, a]));
  const appliedBy = (apply: number | undefined): { applied?: AppliedPlan } => {
    const applied = apply === undefined ? undefined : applies.get(apply);
    return applied ? { applied } : {};
  };
  return ENTITY_KINDS.flatMap((kind) => {
    const record = state[kind].get(id);
    if (!record) return [];
    const history = (record.history ?? []).map((outcome) => ({ outcome, ...appliedBy(outcome.apply) }));
    return [{ kind, id, record, ...appliedBy(record.apply), history }];
  });
}
