/** Folding apply outcomes into the state. Mutates the state it is given; no I/O. */
import type { Change } from "../plan/model.js";
import type { EntityKind, State, StateRecord } from "../state/model.js";
import type { IdOutcome } from "./outcomes.js";

/** `absent` and `forget` changes need no API call: they are recorded before any batch runs. */
export function recordChangesWithoutCalls(state: State, changes: readonly Change[], time: string): void {
  for (const change of changes) {
    if (change.action === "forget") state[change.kind].delete(change.id);
    if (change.action === "absent") state[change.kind].set(change.id, { status: "absent", time, entry: change.entry });
  }
}

export function recordBatchOutcomes(
  state: State,
  kind: EntityKind,
  outcomes: readonly IdOutcome[],
  planned: ReadonlyMap<string, Change>,
  batchId: string | undefined,
  time: string,
): void {
  for (const outcome of outcomes) {
    const change = planned.get(`${kind}:${outcome.id}`);
    const record: StateRecord = { status: outcome.status, time, entry: change?.entry ?? "id" };
    if (batchId) record.batchId = batchId;
    if (change?.cascade) record.cascade = change.cascade;
    if (outcome.statusCode !== undefined) record.statusCode = outcome.statusCode;
    if (outcome.error !== undefined) record.error = outcome.error;
    state[kind].set(outcome.id, record);
  }
}

export function plannedDeletes(changes: readonly Change[]): Map<string, Change> {
  return new Map(changes.filter((c) => c.action === "delete").map((c) => [`${c.kind}:${c.id}`, c]));
}
