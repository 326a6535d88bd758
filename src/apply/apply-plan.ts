/**
 * Applies a plan and keeps the state file true at every step: changes that need
 * no call (absent, forget) are recorded first, then each wave's outcomes are
 * written as soon as the wave ends. The state is written only when something
 * changed, and every write bumps its serial.
 */
import type { Plan } from "../plan/model.js";
import { emptyState, type EntityKind, type State } from "../state/model.js";
import type { WaylayApi } from "../waylay/client.js";
import type { ApplyEvent } from "./events.js";
import { executePlan, type ApplyTotals } from "./execute.js";
import { plannedDeletes, recordBatchOutcomes, recordChangesWithoutCalls } from "./record.js";

export interface ApplyDeps {
  api: WaylayApi;
  now: () => Date;
  newLineage: () => string;
  /** Persists the state (atomically); called with the serial already bumped. */
  writeState: (state: State) => void;
}

export interface ApplyOptions {
  parallelism: number;
  onEvent?: (event: ApplyEvent) => void;
}

export interface Failure {
  kind: EntityKind;
  id: string;
  error: string;
}

export interface ApplyResult {
  totals: ApplyTotals;
  forgotten: number;
  failures: Failure[];
  state: State | null;
}

export async function applyPlan(plan: Plan, current: State | null, deps: ApplyDeps, options: ApplyOptions): Promise<ApplyResult> {
  if (plan.changes.length === 0) return { totals: { deleted: 0, absent: 0, failed: 0 }, forgotten: 0, failures: [], state: current };
  const state = current ?? emptyState(deps.newLineage(), plan.endpoint);
  const persist = () => {
    state.serial += 1;
    deps.writeState(state);
  };

  const withoutCalls = plan.changes.filter((c) => c.action !== "delete");
  const forgotten = withoutCalls.filter((c) => c.action === "forget").length;
  const absent = withoutCalls.length - forgotten;
  if (withoutCalls.length > 0) {
    recordChangesWithoutCalls(state, withoutCalls, deps.now().toISOString());
    persist();
  }

  const planned = plannedDeletes(plan.changes);
  const failures: Failure[] = [];
  const totals = await executePlan(plan, deps.api, {
    parallelism: options.parallelism,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    onOutcomes: (kind, outcomes, batchId) => {
      recordBatchOutcomes(state, kind, outcomes, planned, batchId, deps.now().toISOString());
      for (const o of outcomes) if (o.status === "failed") failures.push({ kind, id: o.id, error: o.error ?? "" });
    },
    onWaveFinished: persist,
  });
  totals.absent += absent;
  return { totals, forgotten, failures, state };
}
