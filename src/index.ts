/**
 * decom as a library: `plan`, `apply`, `restore`, `show`, `validate`, `init`,
 * `forceUnlock` and `stateList`/`stateShow`/`stateRm`, the same functions the
 * `decom` command is built on, with the types of the files they read and write.
 *
 *   import { plan, apply } from "waylay-decom";
 *   const reviewed = await plan({ manifest: "decom.yaml", out: "plan.json" });
 *   const outcome = await apply({ plan: "plan.json" });
 */
export { apply, type ApplyOptions, type ApplyOutcome } from "./operations/apply.js";
export { forceUnlock, type ForceUnlockOptions, type ForceUnlockResult } from "./operations/force-unlock.js";
export { init, type InitOptions, type InitResult } from "./operations/init.js";
export { InterruptedError } from "./operations/interrupted.js";
export type { Continuation, ConnectOptions, LockWaitOptions, Recovered, RunOptions, WorkspaceOptions } from "./operations/options.js";
export { plan, type PlanOptions } from "./operations/plan.js";
export {
  restore,
  type ListedEntity,
  type RestoreListing,
  type RestoreOptions,
  type RestoreOutcome,
  type RestoreResult,
} from "./operations/restore.js";
export { show, type ShowFormat, type ShowOptions } from "./operations/show.js";
export {
  stateList,
  stateRm,
  stateShow,
  type ListedRecord,
  type ShownRecord,
  type StateListOptions,
  type StateListResult,
  type StateOptions,
  type StateRmOptions,
  type StateRmOutcome,
  type StateShowResult,
} from "./operations/state.js";
export { validate, type ValidateOptions, type ValidateResult } from "./operations/validate.js";
export type { ApplyEvent } from "./apply/events.js";
export type { ApplyResult } from "./apply/apply-plan.js";
export { DecomError, formatDiagnostic, type Diagnostic } from "./diagnostics.js";
export type { Manifest } from "./manifest/model.js";
export type { Blocker, Change, Plan, Wave } from "./plan/model.js";
export type { NotFoundId, PlanWarning } from "./plan/warnings.js";
export type { LockContent, LockHolder } from "./state/lock.js";
export type { AppliedPlan, PriorOutcome, RecordStatus, State, StateRecord } from "./state/model.js";
export type { Credentials } from "./waylay/auth.js";
export type { Exchange, RetryNotice } from "./waylay/transport.js";
export { startEmulator, type Emulator, type EmulatorOptions } from "./emulator/server.js";
