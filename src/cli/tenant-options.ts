/** The library options every tenant command takes from its flags and the process edges. */
import type { ConnectOptions, LockWaitOptions, WorkspaceOptions } from "../operations/options.js";
import { formatDiagnostic } from "../diagnostics.js";
import { lockTimeout, timeouts, type Timeouts } from "./args.js";
import { debugHooks } from "./debug.js";
import type { Io } from "./io.js";
import { retryNoticeHook } from "./retry-notice.js";

interface TenantFlags {
  manifest?: string | undefined;
  state?: string | undefined;
  endpoint?: string | undefined;
  profile?: string | undefined;
  debug?: boolean | undefined;
  "request-timeout"?: string | undefined;
  "batch-timeout"?: string | undefined;
  "unacknowledged-grace"?: string | undefined;
  "lock-timeout"?: string | undefined;
}

export function tenantOptions(
  command: string,
  values: TenantFlags,
  io: Io,
): WorkspaceOptions & LockWaitOptions & ConnectOptions & Timeouts {
  return {
    manifest: values.manifest,
    state: values.state,
    endpoint: values.endpoint,
    profile: values.profile,
    cwd: io.cwd,
    env: io.env,
    ...(io.disk ? { disk: io.disk } : {}),
    ...timeouts(command, values),
    lockTimeoutMs: lockTimeout(command, values["lock-timeout"]),
    onWarning: (w) => io.stderr.write(`${formatDiagnostic(w)}\n`),
    onRetry: retryNoticeHook(io),
    ...debugHooks(io, values.debug),
  };
}
