/** Options shared by the library's `plan` and `apply`. Every field is optional. */
import type { ApplyEvent } from "../apply/events.js";
export type { Continuation, Recovered } from "../apply/results.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Disk } from "../files/disk.js";
import type { Credentials } from "../waylay/auth.js";
import type { Connection } from "../waylay/connection.js";
import type { Exchange, RetryNotice } from "../waylay/transport.js";

export interface WorkspaceOptions {
  /** The manifest, relative to `cwd` (default `decom.yaml`). */
  manifest?: string;
  /** The state file, relative to `cwd` (default: `X.state.json` beside manifest `X.yaml`; `decom.state.json` for `decom.yaml`). */
  state?: string;
  /** Default: `process.cwd()`. */
  cwd?: string;
  /** Where files are written (default: the local disk). */
  disk?: Disk;
}

/** For the operations that take the state's lock (`plan`, `apply`). */
export interface LockWaitOptions {
  /**
   * How long to wait for a lock another decom holds, looking every 250 ms
   * (default 0: fail at once, naming the holder). A lock whose holder is gone
   * from this machine, or that decom did not write, fails at once regardless.
   */
  lockTimeoutMs?: number;
}

export interface ConnectOptions {
  /** The Waylay gateway; else WAYLAY_GATEWAY_URL, else the profile's, else https://api.waylay.io. */
  endpoint?: string;
  /** A Waylay SDK profile name; else WAYLAY_PROFILE, else the SDK's default profile if it exists. */
  profile?: string;
  /** Explicit credentials; else WAYLAY_API_KEY/WAYLAY_API_SECRET or WAYLAY_TOKEN, else the profile's. */
  credentials?: Credentials;
  /**
   * Default: `process.env`. Profiles are read from the home this names (HOME,
   * XDG_CONFIG_HOME, USERPROFILE, LOCALAPPDATA) and from no other: an env with
   * none reads no profile, and the process's own home folder is used only for
   * `process.env` itself.
   */
  env?: NodeJS.ProcessEnv;
  /** Per request attempt (default 30 s). */
  requestTimeoutMs?: number;
  /** Every HTTP exchange: method, URL, status, duration. Never credentials. */
  onExchange?: (exchange: Exchange) => void;
  /**
   * A request failed in a way that may pass (connection refused or reset, a
   * timeout, 429, 5xx) and is being retried: said after the first failed
   * attempt, then at most once a minute while failures go on.
   */
  onRetry?: (notice: RetryNotice) => void;
  /** Things worth saying that are not errors (e.g. credentials used with another gateway). */
  onWarning?: (warning: Diagnostic) => void;
  /** Where decom connects and where each setting came from (for --debug). */
  onConnect?: (connection: Connection) => void;
}

export interface RunOptions {
  /** Batches in flight at once within a wave (default 4). */
  parallelism?: number;
  /** Following one batch before leaving it in flight for the next run (default 30 min). */
  batchTimeoutMs?: number;
  /** Watching the ids of a batch whose 202 was lost before submitting the rest again (default 60 s). */
  unacknowledgedGraceMs?: number;
  /** Progress: batches submitted and finished, waves, recovery. */
  onEvent?: (event: ApplyEvent) => void;
  /** First interrupt: submit nothing more; follow what is in flight. */
  stop?: AbortSignal;
  /** Second interrupt: stop at once; what is in flight stays recorded. */
  halt?: AbortSignal;
}
