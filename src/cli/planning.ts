/**
 * The steps plan and apply share, in the order that keeps bad input harmless:
 * everything local is read and checked first (manifest, endpoint, credentials),
 * then the state is locked and opened (replaying any journal an interrupted
 * apply left), then an interrupted apply is resumed, and only then is the
 * tenant asked for a plan.
 */
import { resumeInFlight, type ExecuteOptions } from "../apply/execute.js";
import { loadManifest } from "../manifest/load.js";
import type { Manifest } from "../manifest/model.js";
import type { Plan } from "../plan/model.js";
import { planTenant } from "../plan/plan-tenant.js";
import { acquireLock, lockPathFor } from "../state/lock.js";
import { StateSession } from "../state/session.js";
import { count } from "../text/plural.js";
import { DECOM_VERSION } from "../version.js";
import type { WaylayClient } from "../waylay/client.js";
import { checkStateEndpoint, connect, endpointFor, resolvePaths, type Paths } from "./context.js";
import type { Io } from "./io.js";
import { randomUUID } from "node:crypto";

export interface LocalInputs {
  paths: Paths;
  manifest: Manifest;
  endpoint: string;
  api: WaylayClient;
}

export interface PlanFlags {
  manifest?: string | undefined;
  state?: string | undefined;
  endpoint?: string | undefined;
}

/** Resolves when `signal` aborts; never, without one. */
export function aborted(signal: AbortSignal | undefined): Promise<typeof INTERRUPTED> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve(INTERRUPTED);
    signal.addEventListener("abort", () => resolve(INTERRUPTED), { once: true });
  });
}

export const INTERRUPTED = Symbol("interrupted");

/** Reads and checks everything that needs neither the network nor the state; builds (but does not use) the client. */
export function readLocalInputs(io: Io, flags: PlanFlags, requestTimeoutMs?: number): LocalInputs {
  const paths = resolvePaths(io, flags.manifest, flags.state);
  const manifest = loadManifest(paths.manifestAbsolute, paths.manifest);
  const endpoint = endpointFor(io, flags.endpoint);
  const api = connect(io, endpoint, requestTimeoutMs);
  return { paths, manifest, endpoint, api };
}

export interface OpenState {
  session: StateSession;
  release: () => void;
}

/** Takes `<state>.lock` (or fails at once naming its holder), then opens the state and its journal. */
export function lockAndOpenState(io: Io, inputs: LocalInputs, command: string): OpenState {
  const { paths } = inputs;
  const unlock = `decom force-unlock${paths.state === "decom.state.json" ? "" : ` --state ${paths.state}`}`;
  const release = acquireLock(lockPathFor(paths.stateAbsolute), `${paths.state}.lock`, command, unlock);
  try {
    const session = StateSession.open({
      statePath: paths.stateAbsolute,
      shownAs: paths.state,
      endpoint: inputs.endpoint,
      newLineage: randomUUID,
      ...(io.disk ? { disk: io.disk } : {}),
    });
    checkStateEndpoint(session.current, inputs.endpoint, paths.state);
    return { session, release };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * Settles what an interrupted apply left behind, before anything is planned:
 * batches in flight are followed (or checked), and the journal is compacted into
 * the state. Prints one line of what it found and recorded.
 */
export async function resumeInterrupted(io: Io, inputs: LocalInputs, session: StateSession, options: ExecuteOptions): Promise<void> {
  const pending = session.inFlightBatches().length;
  if (pending === 0 && !session.hasUncompactedChanges) return;
  const totals = await resumeInFlight(inputs.api, session, options);
  session.compact();
  io.stdout.write(
    `Recovered an interrupted apply from ${inputs.paths.state}${pending > 0 ? `: ${count(pending, "batch", "batches")} followed to their end (${totals.deleted} deleted, ${totals.absent} absent, ${totals.failed} failed${totals.inFlight > 0 ? `, ${totals.inFlight} still in flight` : ""})` : ""}.\n\n`,
  );
}

export async function planAgainstTenant(inputs: LocalInputs, session: StateSession, batchSize: number, targets: readonly string[] = []): Promise<Plan> {
  return planTenant({ manifest: inputs.manifest, state: session.current, api: inputs.api, batchSize, targets, decomVersion: DECOM_VERSION });
}
