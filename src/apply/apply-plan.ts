/**
 * Applies a plan within a state session: changes that need no call (absent,
 * forget) are journaled first, then the waves run, each step journaled before
 * it is taken. The caller compacts the session into the state file.
 */
import type { Plan } from "../plan/model.js";
import { ENTITY_KINDS } from "../state/model.js";
import type { StateSession } from "../state/session.js";
import type { WaylayApi } from "../waylay/client.js";
import { executePlan, type ApplyTotals, type ExecuteOptions } from "./execute.js";

export interface ApplyResult extends ApplyTotals {
  forgotten: number;
}

export async function applyPlan(plan: Plan, session: StateSession, api: WaylayApi, options: ExecuteOptions): Promise<ApplyResult> {
  const time = options.now().toISOString();
  let forgotten = 0;
  let absent = 0;
  for (const kind of ENTITY_KINDS) {
    const changes = plan.changes.filter((c) => c.kind === kind && c.action !== "delete");
    if (changes.length === 0) continue;
    const forget = changes.filter((c) => c.action === "forget").map((c) => c.id);
    const recorded = Object.fromEntries(changes.filter((c) => c.action === "absent").map((c) => [c.id, c.entry]));
    session.append({ recorded: { kind, absent: recorded, forget, time } });
    forgotten += forget.length;
    absent += changes.length - forget.length;
  }
  const totals = await executePlan(plan, api, session, options);
  return { ...totals, absent: totals.absent + absent, forgotten };
}
