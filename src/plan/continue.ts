/**
 * Re-running a saved plan converges (spec: re-runs). A plan whose apply was cut
 * short (crash, SIGKILL, lost connection) is not stale because of that apply:
 * the state's latest apply is the plan's own when it carried out this plan
 * (same digest) against the serial the plan was made against, and nothing
 * else has written the state since. What is left of the plan is then what that
 * apply recorded no outcome for. Pure.
 */
import { latestApply, type AppliedPlan, type State } from "../state/model.js";
import type { Change, Plan } from "./model.js";

/** The state's latest apply, when it is this plan's own and nothing else has written the state since. */
export function ownApply(plan: Plan, digest: string, state: State | null): AppliedPlan | undefined {
  if (state === null) return undefined;
  const latest = latestApply(state);
  if (latest?.plan !== digest || latest.through !== state.serial || latest.basedOn !== plan.state.serial) return undefined;
  // A plan made before any state existed: the state is the one its own apply created, the first of its lineage.
  const sameLineage = plan.state.lineage === null ? latest.number === 1 && latest.basedOn === 0 : plan.state.lineage === state.lineage;
  return sameLineage ? latest : undefined;
}

export interface Remainder {
  /** The plan less every change `apply` has an outcome for: its waves hold only the ids left. */
  plan: Plan;
  /** Deletions the plan holds, and how many of them are left. */
  deletions: number;
  remaining: number;
  /** Ids that apply recorded as failed: a new plan retries them. */
  failed: number;
}

/** What is left of `plan` once `apply` (its own, see ownApply) has recorded what it recorded. */
export function remainderOf(plan: Plan, state: State, apply: number): Remainder {
  let failed = 0;
  const left = (change: Change): boolean => {
    const record = state[change.kind].get(change.id);
    if (change.action === "forget") return record !== undefined;
    if (record?.apply !== apply) return true;
    if (record.status === "failed") failed++;
    return false;
  };
  const changes = plan.changes.filter(left);
  const deleting = new Set(changes.filter((c) => c.action === "delete").map((c) => `${c.kind}:${c.id}`));
  const waves = plan.waves
    .map((wave) => ({
      kind: wave.kind,
      batches: wave.batches
        .map((batch) => ({
          body: {
            ...batch.body,
            query: { ...batch.body.query, ids: batch.body.query.ids.filter((id) => deleting.has(`${wave.kind}:${id}`)) },
          },
        }))
        .filter((batch) => batch.body.query.ids.length > 0),
    }))
    .filter((wave) => wave.batches.length > 0);
  const { digest: _digest, ...rest } = plan;
  return {
    plan: { ...rest, changes, waves },
    deletions: plan.changes.filter((c) => c.action === "delete").length,
    remaining: deleting.size,
    failed,
  };
}
