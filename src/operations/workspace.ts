/**
 * What `plan` and `apply` share, in the order that keeps bad input harmless:
 * everything local is read and checked first (manifest, endpoint, credentials),
 * then the state is locked and opened (replaying any journal an interrupted
 * apply left), then that apply is recovered, and only then is anything planned.
 */
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { lstatSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { resumeInFlight } from "../apply/execute.js";
import { fail, warning, type Diagnostic } from "../diagnostics.js";
import { shellWord } from "../text/shell-word.js";
import type { Disk } from "../files/disk.js";
import { folderAdvice, folderProblem, probeWritable } from "../files/folder.js";
import { loadManifest } from "../manifest/load.js";
import type { Manifest } from "../manifest/model.js";
import { lockPathFor, waitForLock } from "../state/lock.js";
import { journalPathFor } from "../state/journal.js";
import type { State } from "../state/model.js";
import { readStateFile } from "../state/file.js";
import { StateSession } from "../state/session.js";
import { WaylayClient } from "../waylay/client.js";
import { resolveConnection, type Connection } from "../waylay/connection.js";
import { Transport } from "../waylay/transport.js";
import type { Plan } from "../plan/model.js";
import { planTenant } from "../plan/plan-tenant.js";
import { DECOM_VERSION } from "../version.js";
import type { ConnectOptions, LockWaitOptions, Recovered, RunOptions, WorkspaceOptions } from "./options.js";

export const DEFAULT_MANIFEST = "decom.yaml";
/** The default manifest's state; any manifest's is `statePathFor` it. */
export const STATE_FILE_NAME = "decom.state.json";

/**
 * One state per manifest: `X.yaml` (or `X.yml`) keeps `X.state.json` beside
 * it, so two manifests in one folder never share a state; a manifest named
 * otherwise gets `.state.json` after its whole name.
 */
export function statePathFor(manifestPath: string): string {
  return join(dirname(manifestPath), `${basename(manifestPath).replace(/\.ya?ml$/i, "")}.state.json`);
}
export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_PARALLELISM = 4;

export interface Paths {
  /** As shown in messages: as given, else relative to the working directory. */
  manifest: string;
  state: string;
  /** How to name the state file when it is not one: `--state FILE` when given so. */
  stateNamed: string;
  manifestAbsolute: string;
  stateAbsolute: string;
  /** The manifest as the state records it: relative to the state file's folder, with `/` between folders. */
  manifestFromState: string;
  /** Whether `--state` named the state; else it is the manifest's own, found by its name. */
  stateGiven: boolean;
}

export interface Workspace {
  cwd: string;
  paths: Paths;
  manifest: Manifest;
  connection: Connection;
  api: WaylayClient;
}

/**
 * Reads and checks everything that needs neither the network nor the state.
 * `cancel` aborts every request of the workspace's client, under way or to come.
 */
export function openWorkspace(options: WorkspaceOptions & ConnectOptions, cancel?: AbortSignal): Workspace {
  const cwd = options.cwd ?? process.cwd();
  checkGivenFiles(cwd, options.manifest, options.state);
  const paths = resolvePaths(cwd, options.manifest, options.state);
  const manifest = loadManifest(paths.manifestAbsolute, paths.manifest);
  if (options.state !== undefined) checkStateFolder(resolve(cwd, options.state), options.state);
  const connection = resolveConnection({
    endpoint: options.endpoint,
    profile: options.profile,
    credentials: options.credentials,
    env: options.env ?? process.env,
  });
  options.onConnect?.(connection);
  for (const w of connection.warnings) options.onWarning?.(w);
  const transport = new Transport({
    endpoint: connection.endpoint,
    credentials: connection.credentials,
    credentialsSource: connection.credentialsSource,
    ...(options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}),
    ...(options.onExchange ? { onExchange: options.onExchange } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    signal: cancel,
  });
  return { cwd, paths, manifest, connection, api: new WaylayClient(transport) };
}

/** A `--state` in a folder that is not there would otherwise be found only when the lock is taken. */
function checkStateFolder(path: string, shown: string): void {
  const problem = folderProblem(path, shown);
  if (problem) fail("usage.state-folder", `--state ${shown}: ${folderAdvice(problem)}`);
}

/** The state lives beside the manifest unless told otherwise. */
export function resolvePaths(cwd: string, manifest: string | undefined, state: string | undefined): Paths {
  const manifestAbsolute = resolve(cwd, manifest ?? DEFAULT_MANIFEST);
  const stateAbsolute = realFile(state !== undefined ? resolve(cwd, state) : statePathFor(manifestAbsolute));
  // A --state reached through a link is shown where it really is: that is where its lock and journal are.
  const stateShown = state !== undefined && stateAbsolute === resolve(cwd, state) ? state : relative(cwd, stateAbsolute) || stateAbsolute;
  return {
    manifest: manifest ?? DEFAULT_MANIFEST,
    state: stateShown,
    stateNamed: state !== undefined ? `--state ${stateShown}` : stateShown,
    manifestAbsolute,
    stateAbsolute,
    manifestFromState: relative(dirname(stateAbsolute), manifestAbsolute).split(sep).join("/"),
    stateGiven: state !== undefined,
  };
}

/**
 * A folder given where a file belongs is said with its flag and the path as
 * given, and a file to give instead: reading it would only say "a directory".
 */
export function checkGivenFiles(cwd: string, manifest: string | undefined, state: string | undefined): void {
  if (manifest !== undefined && fileKind(resolve(cwd, manifest)) === "folder") {
    fail("usage.manifest-folder", `-f ${manifest} is a folder; give a manifest file, e.g. -f ${join(manifest, DEFAULT_MANIFEST)}`);
  }
  if (state !== undefined && fileKind(resolve(cwd, state)) === "folder") {
    fail("usage.state-folder", `--state ${state} is a folder; give a state file, e.g. --state ${join(state, STATE_FILE_NAME)}`);
  }
}

/**
 * A state file reached through a symbolic link is the file it points to: its
 * lock and journal sit beside it, and writing it (a rename) must not replace
 * the link with a copy while another run locks the real one.
 */
function realFile(path: string): string {
  // A link whose target does not exist yet is followed too (the first apply creates the target):
  // realpath cannot resolve it, so each link is read in turn, up to the kernel's own limit.
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    try {
      if (!lstatSync(current).isSymbolicLink()) break;
      current = resolve(dirname(current), readlinkSync(current));
    } catch {
      break; // not there yet, or unreadable: reading it later says why
    }
  }
  if (current === path) return path;
  try {
    return realpathSync(current);
  } catch {
    return current; // the target does not exist yet: where the link points
  }
}

/**
 * `--out` must name a file decom can write, in a folder that exists, and not
 * one decom keeps (the manifest, the state, its journal or its lock): checked
 * before planning, so that a plan is never made only to be lost.
 */
export function checkPlanOut(paths: Paths, cwd: string, out: string, disk?: Disk): void {
  const target = realFile(resolve(cwd, out));
  const kind = fileKind(target);
  if (/[\\/]$/.test(out) || kind === "folder")
    fail("usage.out-folder", `--out ${out}: that is a folder; name a file in it, e.g. --out ${join(out, "plan.json")}`);
  // The plan is written by a rename, which would replace /dev/null or a pipe with a plain file.
  if (kind === "special") fail("usage.out-special", `--out ${out}: that is not a regular file; name a file, e.g. --out plan.json`);
  const kept: [string, string][] = [
    [paths.manifestAbsolute, "the manifest"],
    [paths.stateAbsolute, "the state file"],
    [journalPathFor(paths.stateAbsolute), "the journal"],
    [lockPathFor(paths.stateAbsolute), "the lock"],
  ];
  for (const [path, what] of kept) {
    if (realFile(path) === target)
      fail("usage.out-clash", `--out ${out} would overwrite ${what}; save the plan under another name, e.g. --out plan.json`);
  }
  const problem = folderProblem(target, out);
  if (problem) fail("usage.out-folder", `--out ${out}: ${folderAdvice(problem)}`);
  probeWritable(target, `--out ${out}`, disk);
}

function fileKind(path: string): "file" | "folder" | "special" | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? "file" : stat.isDirectory() ? "folder" : "special";
  } catch {
    return undefined; // not there (the usual case), or said when it is written
  }
}

export interface OpenState {
  session: StateSession;
  release: () => void;
}

/**
 * Takes `<state>.lock` (or fails naming its holder: at once, or after waiting
 * up to `lockTimeoutMs` for it), then opens the state and its journal.
 * `release` closes the session for good, then frees the lock: nothing can be
 * recorded without holding it. Undefined when `interrupt` stopped the wait:
 * nothing was taken or opened.
 */
export async function lockState(
  workspace: Workspace,
  command: string,
  options: WorkspaceOptions & LockWaitOptions & Pick<ConnectOptions, "onWarning">,
  interrupt: AbortSignal | undefined,
): Promise<OpenState | undefined> {
  const { paths } = workspace;
  const release = await takeLock(paths, command, options, interrupt);
  if (release === undefined) return undefined;
  return openLocked(paths, workspace.connection.endpoint, options, release, (session) => {
    checkStateEndpoint(session.state, session.onlyInJournal ? journalPathFor(paths.state) : paths.state, workspace.connection.endpoint);
    const other = checkStateManifest(session.state, paths, workspace.cwd);
    if (other) options.onWarning?.(other);
    const older = session.current === null ? olderSharedState(paths) : undefined;
    if (older) options.onWarning?.(older);
  });
}

/** Opens the state under the lock `release` frees, and checks it with `check`; the lock is freed if either fails. */
function openLocked(
  paths: Paths,
  endpoint: string,
  options: Pick<WorkspaceOptions, "disk">,
  release: () => void,
  check: (session: StateSession) => void,
): OpenState {
  try {
    const session = StateSession.open({
      statePath: paths.stateAbsolute,
      shownAs: paths.state,
      namedAs: paths.stateNamed,
      endpoint,
      newLineage: randomUUID,
      ...(options.disk ? { disk: options.disk } : {}),
    });
    check(session);
    return {
      session,
      release: () => {
        session.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * Takes the lock and opens the state, as lockState does, for a command that
 * edits the state and never reaches the tenant (`state rm`): it needs no
 * endpoint, and checks none. A state that is not there is opened empty
 * (`session.current` is null) and must not be written: the caller refuses it.
 */
export async function lockStateFile(
  paths: Paths,
  cwd: string,
  command: string,
  options: Pick<WorkspaceOptions, "disk"> & LockWaitOptions & Pick<ConnectOptions, "onWarning">,
  interrupt: AbortSignal | undefined,
): Promise<OpenState | undefined> {
  const release = await takeLock(paths, command, options, interrupt);
  if (release === undefined) return undefined;
  return openLocked(paths, "", options, release, (session) => {
    const other = checkStateManifest(session.state, paths, cwd);
    if (other) options.onWarning?.(other);
  });
}

/**
 * `<state>.lock`, or a DecomError naming its holder: at once, or after
 * waiting up to `lockTimeoutMs` for it. The release says a lock it could not
 * remove as a warning. Undefined when `interrupt` stopped the wait.
 */
async function takeLock(
  paths: Paths,
  command: string,
  options: Pick<WorkspaceOptions, "disk"> & LockWaitOptions & Pick<ConnectOptions, "onWarning">,
  interrupt: AbortSignal | undefined,
): Promise<(() => void) | undefined> {
  const timeoutMs = options.lockTimeoutMs ?? 0;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0)
    fail("usage.lock-timeout", `lockTimeoutMs must be a number of milliseconds from 0, got ${String(options.lockTimeoutMs)}`);
  const unlockFile = await waitForLock(lockPathFor(paths.stateAbsolute), lockPathFor(paths.state), command, {
    unlockCommand: `decom force-unlock${unlockFlags(paths)}`,
    ...(options.disk ? { disk: options.disk } : {}),
    timeoutMs,
    signal: interrupt,
    onWait: (notice) => options.onWarning?.(warning("lock.waiting", notice)),
  });
  if (unlockFile === undefined) return undefined;
  return () => {
    const problem = unlockFile();
    if (problem) options.onWarning?.(warning("lock.release", problem));
  };
}

/** How force-unlock names the same state: by the manifest when the state is the manifest's own. */
function unlockFlags(paths: Paths): string {
  if (paths.stateGiven) return ` --state ${shellWord(paths.state)}`;
  return paths.manifest === DEFAULT_MANIFEST ? "" : ` -f ${shellWord(paths.manifest)}`;
}

/**
 * A state belongs to the manifest it records. Found by the manifest's name, a
 * state that records another manifest is refused (two manifests would share
 * it: \`x.yaml\` and \`x.yml\`, or a copied state). Named with --state, it is
 * taken as the renamed manifest's, with a warning: the next apply records the
 * new name. A state that records none (written before states did) adopts
 * this manifest at its next apply.
 */
export function checkStateManifest(state: State, paths: Paths, cwd: string): Diagnostic | undefined {
  if (state.manifest === undefined || state.manifest === paths.manifestFromState) return undefined;
  const recorded = relative(cwd, join(dirname(paths.stateAbsolute), state.manifest)) || state.manifest;
  if (!paths.stateGiven) {
    fail(
      "state.other-manifest",
      `${paths.state} belongs to manifest ${recorded}, not ${paths.manifest}; ` +
        `name the state of ${paths.manifest} with --state, or rename ${paths.state} if ${paths.manifest} replaced ${recorded}`,
    );
  }
  return warning(
    "state.other-manifest",
    `${paths.stateNamed} belongs to manifest ${recorded}, and this run uses ${paths.manifest}; ` +
      `the next apply records ${paths.manifest} as its manifest`,
  );
}

/**
 * Before states were named after their manifest, every manifest's state was
 * `decom.state.json`. A manifest whose own state does not exist yet, beside
 * such a file that records no manifest (or this one), is warned: planning
 * from no state would plan again what that state recorded.
 */
function olderSharedState(paths: Paths): Diagnostic | undefined {
  if (paths.stateGiven || basename(paths.stateAbsolute) === STATE_FILE_NAME) return undefined;
  const shared = join(dirname(paths.stateAbsolute), STATE_FILE_NAME);
  let state: State | null;
  try {
    state = readStateFile(shared);
  } catch {
    return undefined; // not a state decom can read: not one to point at
  }
  if (state === null || (state.manifest !== undefined && state.manifest !== paths.manifestFromState)) return undefined;
  const sharedShown = join(dirname(paths.state), STATE_FILE_NAME);
  return warning(
    "state.shared-older",
    `${paths.state} does not exist, and ${sharedShown} beside ${paths.manifest} records no manifest: if it is the state of ` +
      `${paths.manifest} from before states were named after their manifest, rename it (git mv ${shellWord(sharedShown)} ` +
      `${shellWord(paths.state)}) or name it with --state ${shellWord(sharedShown)}`,
  );
}

/** A state file describes one tenant; using it against another would plan nonsense. */
function checkStateEndpoint(state: State, shownAs: string, endpoint: string): void {
  if (state.endpoint !== endpoint) {
    fail(
      "state.endpoint-mismatch",
      `${shownAs} records the tenant at ${state.endpoint}, and this run targets ${endpoint}; ` +
        `use the state file kept for that endpoint (--state), or --endpoint ${state.endpoint}`,
    );
  }
}

/**
 * Settles what an interrupted apply left: batches in flight are followed (or
 * checked), and the journal is compacted into the state. Undefined when there
 * was nothing to recover.
 */
export async function recoverInterrupted(
  workspace: Workspace,
  session: StateSession,
  options: RunOptions & { halt?: AbortSignal | undefined },
): Promise<Recovered | undefined> {
  const batches = session.inFlightBatches().length;
  if (batches === 0 && !session.hasUncompactedChanges) return undefined;
  const totals = await resumeInFlight(workspace.api, session, executeOptions(options));
  session.compact();
  return {
    batches,
    deleted: totals.deleted,
    absent: totals.absent,
    failed: totals.failed,
    inFlight: totals.inFlight,
    notTaken: totals.notSubmitted,
  };
}

export function executeOptions(options: RunOptions) {
  return {
    parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
    now: () => new Date(),
    ...(options.batchTimeoutMs !== undefined ? { batchTimeoutMs: options.batchTimeoutMs } : {}),
    ...(options.unacknowledgedGraceMs !== undefined ? { unacknowledgedGraceMs: options.unacknowledgedGraceMs } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    stop: options.stop,
    halt: options.halt,
  };
}

/** Asks the tenant and makes the plan, against the state as the session holds it. */
export function planInWorkspace(
  workspace: Workspace,
  session: StateSession,
  options: {
    batchSize?: number | undefined;
    targets?: string[] | undefined;
    checkReferrers?: boolean | undefined;
    parallelism?: number | undefined;
  },
): Promise<Plan> {
  return planTenant({
    manifest: workspace.manifest,
    state: session.current,
    api: workspace.api,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    targets: options.targets ?? [],
    ...(options.checkReferrers ? { referrers: { concurrency: options.parallelism ?? DEFAULT_PARALLELISM } } : {}),
    decomVersion: DECOM_VERSION,
  });
}

/** How long work cancelled at once may take to notice before the session is closed under it. */
const ABANDON_AFTER_MS = 1000;

/**
 * Waits for `work`, unless `cancel` aborts first. Then, since the client's
 * requests are cancelled with it, the work is given a moment to notice and
 * stop; whatever it journaled is compacted into the state (batches still in
 * flight included), and the caller's release closes the session, so nothing
 * the work does later can be recorded. Undefined when cancelled.
 */
export async function settleOrAbandon<T>(work: Promise<T>, session: StateSession, cancel: AbortSignal | undefined): Promise<T | undefined> {
  const first = await Promise.race([work, aborted(cancel)]);
  if (first !== INTERRUPTED) return first;
  // Not unref'd: with every request cancelled nothing else may keep the process alive, and it
  // must live to compact the state and release the lock (unref'd, Node exited with 13 first).
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ABANDON_AFTER_MS)))]);
  clearTimeout(timer);
  work.catch(() => {});
  session.compact();
  return undefined;
}

/** A controller aborted with `signal` (if any), or earlier by its owner. */
export function cancellation(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  // Each request and wait under way listens to it: as many as --parallelism allows, which is no leak.
  setMaxListeners(0, controller.signal);
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener("abort", () => controller.abort(), { once: true });
  return controller;
}

/** A signal aborted when the first of `a` and `b` is. */
export function eitherAborted(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  if (a === undefined) return b;
  const either = cancellation(a);
  if (b.aborted) either.abort();
  else b.addEventListener("abort", () => either.abort(), { once: true });
  return either.signal;
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
