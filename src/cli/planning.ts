/**
 * Making a plan from the command line's point of view: everything local is read
 * and checked first (manifest, state, endpoint), so bad input fails before any
 * request; only then is the tenant asked.
 */
import { loadManifest } from "../manifest/load.js";
import type { Manifest } from "../manifest/model.js";
import type { Plan } from "../plan/model.js";
import { planTenant } from "../plan/plan-tenant.js";
import { readStateFile } from "../state/file.js";
import type { State } from "../state/model.js";
import { DECOM_VERSION } from "../version.js";
import type { WaylayClient } from "../waylay/client.js";
import { checkStateEndpoint, connect, endpointFor, resolvePaths, type Paths } from "./context.js";
import type { Io } from "./io.js";

export interface LocalInputs {
  paths: Paths;
  manifest: Manifest;
  state: State | null;
  endpoint: string;
  api: WaylayClient;
}

export interface PlanFlags {
  manifest?: string | undefined;
  state?: string | undefined;
  endpoint?: string | undefined;
}

/** Reads and checks everything that needs no network; builds (but does not use) the client. */
export function readLocalInputs(io: Io, flags: PlanFlags): LocalInputs {
  const paths = resolvePaths(io, flags.manifest, flags.state);
  const manifest = loadManifest(paths.manifestAbsolute, paths.manifest);
  const state = readStateFile(paths.stateAbsolute, paths.state);
  const endpoint = endpointFor(io, flags.endpoint);
  checkStateEndpoint(state, endpoint, paths.state);
  const api = connect(io, endpoint);
  return { paths, manifest, state, endpoint, api };
}

export async function planAgainstTenant(inputs: LocalInputs, batchSize: number, targets: readonly string[] = []): Promise<Plan> {
  return planTenant({ manifest: inputs.manifest, state: inputs.state, api: inputs.api, batchSize, targets, decomVersion: DECOM_VERSION });
}
