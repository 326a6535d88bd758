/** Why a saved plan may no longer be applied: each difference, in words. Pure. */
import type { AppliedPlan, StateIdentity } from "../state/model.js";
import { formatTime } from "../text/time.js";
import type { Plan } from "./model.js";

export interface CurrentInputs {
  endpoint: string;
  manifestSha256: string;
  state: StateIdentity;
  /** The state's latest apply, to say which apply overtook the plan. */
  latestApply?: AppliedPlan | undefined;
  /** The saved plan's digest, to tell its own apply from another. */
  planDigest?: string | undefined;
}

/**
 * `ownApplyContinues`: the state was written since only by this plan's own
 * apply (see continue.ts), which a re-run continues: not a reason.
 */
export function stalenessReasons(plan: Plan, now: CurrentInputs, ownApplyContinues = false): string[] {
  const reasons: string[] = [];
  if (plan.endpoint !== now.endpoint) {
    reasons.push(`it was made for endpoint ${plan.endpoint}, and this run targets ${now.endpoint}`);
  }
  if (plan.manifest.sha256 !== now.manifestSha256) {
    reasons.push(
      `the manifest changed since (sha256 ${plan.manifest.sha256.slice(0, 12)}… in the plan, ${now.manifestSha256.slice(0, 12)}… now)`,
    );
  }
  const was = plan.state;
  const is = now.state;
  if (ownApplyContinues) return reasons;
  if (was.lineage === null && is.lineage !== null) {
    reasons.push(`it was made when no state file existed, and one has been written since (lineage ${is.lineage}, serial ${is.serial})`);
  } else if (was.lineage !== null && is.lineage === null) {
    reasons.push(`it was made against state lineage ${was.lineage} serial ${was.serial}, and there is no state file now`);
  } else if (was.lineage !== is.lineage) {
    reasons.push(`the state file belongs to another lineage (${is.lineage} now, ${was.lineage} in the plan)`);
  } else if (was.serial !== is.serial) {
    reasons.push(`the state was written since (serial ${was.serial} in the plan, ${is.serial} now)`);
  }
  const latest = now.latestApply;
  // Which apply overtook it, when one wrote the state after the plan was made.
  if (reasons.length > 0 && latest !== undefined && is.lineage !== null) {
    const begun = `begun ${formatTime(latest.started)}`;
    if (latest.plan !== undefined && latest.plan === now.planDigest) {
      // Its own apply, overtaken by a write that was not part of it (decom state rm).
      reasons.push(
        `this plan's own apply (apply ${latest.number}, ${begun}) last wrote serial ${latest.through}, ` +
          "and something else wrote the state since",
      );
    } else if (latest.through > was.serial) {
      const which = latest.plan !== undefined ? `of the saved plan ${latest.plan.slice(0, 19)}…` : "that made its own plan";
      reasons.push(`apply ${latest.number}, ${which}, ${begun}, wrote the state after this plan was made`);
    }
  }
  return reasons;
}
