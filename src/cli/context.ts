/** What several commands resolve the same way: file paths, the endpoint, the client. */
import { dirname, join, relative, resolve } from "node:path";
import { fail } from "../diagnostics.js";
import type { State } from "../state/model.js";
import { credentialsFromEnv, requireCredentials } from "../waylay/auth.js";
import { WaylayClient } from "../waylay/client.js";
import { resolveEndpoint } from "../waylay/endpoint.js";
import { Transport } from "../waylay/transport.js";
import type { Io } from "./io.js";

export const DEFAULT_MANIFEST = "decom.yaml";
export const STATE_FILE_NAME = "decom.state.json";
export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_PARALLELISM = 4;

export interface Paths {
  /** As shown in messages: relative to the working directory. */
  manifest: string;
  state: string;
  /** As read and written. */
  manifestAbsolute: string;
  stateAbsolute: string;
}

/** The state lives beside the manifest unless --state says otherwise. */
export function resolvePaths(io: Io, manifestFlag: string | undefined, stateFlag: string | undefined): Paths {
  const manifestAbsolute = resolve(io.cwd, manifestFlag ?? DEFAULT_MANIFEST);
  const stateAbsolute = stateFlag !== undefined ? resolve(io.cwd, stateFlag) : join(dirname(manifestAbsolute), STATE_FILE_NAME);
  return {
    manifest: manifestFlag ?? DEFAULT_MANIFEST,
    state: relative(io.cwd, stateAbsolute) || stateAbsolute,
    manifestAbsolute,
    stateAbsolute,
  };
}

export function endpointFor(io: Io, flag: string | undefined): string {
  return resolveEndpoint(flag, io.env);
}

/** A state file describes one tenant; using it against another would plan nonsense. */
export function checkStateEndpoint(state: State | null, endpoint: string, statePath: string): void {
  if (state && state.endpoint !== endpoint) {
    fail(
      "state.endpoint-mismatch",
      `${statePath} records the tenant at ${state.endpoint}, and this run targets ${endpoint}; use the state file kept for that endpoint (--state), or --endpoint ${state.endpoint}`,
    );
  }
}

export function connect(io: Io, endpoint: string, timeoutMs?: number): WaylayClient {
  const credentials = requireCredentials(credentialsFromEnv(io.env), endpoint);
  return new WaylayClient(new Transport({ endpoint, credentials, ...(timeoutMs !== undefined ? { timeoutMs } : {}) }));
}
