/**
 * `plan(options)`: what `decom plan` does, as a function. Reads the manifest and
 * the state, recovers an interrupted apply if there is one, asks the tenant, and
 * returns the plan (saving it when `out` is given). Deletes nothing.
 */
import { resolve } from "node:path";
import type { Disk } from "../files/disk.js";
import { fileError } from "../files/fs-error.js";
import type { Plan } from "../plan/model.js";
import { writePlanFile } from "../plan/planfile.js";
import { planWarnings, type PlanWarning } from "../plan/warnings.js";
import { InterruptedError } from "./interrupted.js";
import type { ConnectOptions, LockWaitOptions, Recovered, RunOptions, WorkspaceOptions } from "./options.js";
import { cancellation, checkPlanOut, lockState, openWorkspace, planInWorkspace, recoverInterrupted, settleOrAbandon } from "./workspace.js";

export interface PlanOptions extends WorkspaceOptions, LockWaitOptions, ConnectOptions, RunOptions {
  /** Ids per batch request (default 500). */
  batchSize?: number;
  /** Limit the plan to these ids and what they depend on (`resource:ID`, `resourceType:ID` or `ID`). */
  targets?: string[];
  /**
   * Ask the beta referrers listing of every resource to delete (one request
   * each, `parallelism` at once) and block the plan on referrers outside it.
   */
  checkReferrers?: boolean;
  /** Save the plan to this file (relative to `cwd`), for review and for `apply`. */
  out?: string;
  /** An interrupted apply was found and settled before planning. */
  onRecovered?: (recovered: Recovered) => void;
  /**
   * What is worth saying about the plan without blocking it (explicit ids not
   * on the tenant and not in the state, no guard.maxDeletes), once it is made
   * (and saved); not called when there is nothing to say.
   */
  onPlanWarnings?: (warnings: PlanWarning[]) => void;
}

/** Checked up front, the folder can still fail at the end (a full disk): said in one line all the same. */
function savePlan(path: string, shown: string, plan: Plan, disk: Disk | undefined): void {
  try {
    writePlanFile(path, plan, disk);
  } catch (err) {
    throw fileError("plan.unwritable", `cannot write ${shown}`, err, true);
  }
}

export async function plan(options: PlanOptions = {}): Promise<Plan> {
  // Planning sends nothing that changes the tenant, so the first interrupt already cancels every request.
  const cancel = cancellation(options.stop);
  const workspace = openWorkspace(options, cancel.signal);
  if (options.out !== undefined) checkPlanOut(workspace.paths, workspace.cwd, options.out, options.disk);
  const locked = await lockState(workspace, "decom plan", options, cancel.signal);
  if (locked === undefined) throw new InterruptedError("interrupted while waiting for the lock: nothing was read or planned");
  const { session, release } = locked;
  try {
    const work = (async () => {
      const recovered = await recoverInterrupted(workspace, session, { ...options, halt: cancel.signal });
      if (recovered) options.onRecovered?.(recovered);
      return planInWorkspace(workspace, session, options);
    })();
    const result = await settleOrAbandon(work, session, cancel.signal);
    if (result === undefined) throw new InterruptedError("interrupted: nothing was planned; anything recovered so far is in the state");
    if (options.out !== undefined) savePlan(resolve(workspace.cwd, options.out), options.out, result, options.disk);
    const warnings = planWarnings(result.changes, workspace.manifest);
    if (warnings.length > 0) options.onPlanWarnings?.(warnings);
    return result;
  } finally {
    cancel.abort();
    release();
  }
}
