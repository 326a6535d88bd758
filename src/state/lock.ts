/**
 * `<state>.lock`: one decom at a time per state file. Taken atomically (the file
 * is created only if absent), it names its holder so that a second run can say
 * who holds it, and whether that holder is gone (a stale lock to remove with
 * `decom force-unlock`). Never removed automatically. A run may wait for a
 * holder still at work to let go (`--lock-timeout`), never for one that is gone.
 */
import { hostname } from "node:os";
import { DecomError, error } from "../diagnostics.js";
import { escaped, quoted } from "../text/escape.js";
import { localDisk, type Disk } from "../files/disk.js";
import { fileError, fsReason } from "../files/fs-error.js";
import { sleep } from "../async/sleep.js";
import { formatDuration } from "../text/duration.js";

export interface LockHolder {
  pid: number;
  host: string;
  time: string;
  command: string;
}

export function lockPathFor(statePath: string): string {
  return `${statePath}.lock`;
}

export interface LockOptions {
  /** How messages tell the user to remove a stale lock. */
  unlockCommand?: string;
  /** Where the lock is created (tests make it fail). */
  disk?: Disk;
  now?: () => Date;
}

export type Release = () => string | undefined;

export interface WaitOptions {
  /** How long a held lock is waited for; 0 (the default) fails at once. */
  timeoutMs?: number;
  /** Between looks at the lock (default 250 ms). */
  pollMs?: number;
  /** Milliseconds, to measure the wait (default Date.now). */
  clock?: () => number;
  /** Resolves after `ms`, or at once when `signal` aborts (default: a timer). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Stops the wait at once: nothing is taken, and undefined is returned. */
  signal?: AbortSignal | undefined;
  /** Said once, when the wait begins: who holds the lock, and for how long it is waited for. */
  onWait?: (notice: string) => void;
}

const POLL_MS = 250;

/**
 * Takes the lock, or throws a DecomError naming the holder or why it cannot be
 * created: at once, or after waiting up to `timeoutMs` for a live holder to let
 * go (taken as soon as it is free). A lock no wait will free (its holder gone
 * from this machine, or a file decom did not write) fails at once. Undefined
 * when `signal` stopped the wait: nothing was taken then. The release function
 * never throws: a lock it cannot remove is left for `decom force-unlock`, and
 * it says why (undefined when released).
 */
export async function waitForLock(
  path: string,
  shownAs: string,
  command: string,
  options: LockOptions & WaitOptions = {},
): Promise<Release | undefined> {
  const { timeoutMs = 0, pollMs = POLL_MS, clock = Date.now, sleep: pause = sleep, signal } = options;
  const started = clock();
  let told = false;
  for (;;) {
    const release = tryLock(path, shownAs, command, options);
    if (release) return release;
    const lock = readLock(path, options.disk ?? localDisk);
    const waited = clock() - started;
    // Removed between the two looks: free now, so taken at once.
    if (lock === undefined && waited < timeoutMs) continue;
    const live = lock !== undefined && "holder" in lock && !isStale(lock.holder) ? lock.holder : undefined;
    if (live === undefined || waited >= timeoutMs) throw heldError(lock, shownAs, options, timeoutMs);
    if (!told) {
      options.onWait?.(
        `the state is locked by ${describeHolder(live)} (${shownAs}); waiting up to ${waitText(timeoutMs)} for it to finish`,
      );
      told = true;
    }
    if (signal?.aborted) return undefined;
    await pause(Math.min(pollMs, timeoutMs - waited), signal);
    if (signal?.aborted) return undefined;
  }
}

/** The lock if it was free (undefined when held), or a DecomError saying why it cannot be created. */
function tryLock(path: string, shownAs: string, command: string, options: LockOptions): Release | undefined {
  const holder: LockHolder = { pid: process.pid, host: hostname(), time: (options.now ?? (() => new Date()))().toISOString(), command };
  let created: boolean;
  try {
    created = (options.disk ?? localDisk).createNew(path, JSON.stringify(holder, null, 2) + "\n");
  } catch (err) {
    throw fileError("lock.unwritable", `cannot create the lock ${shownAs}`, err, true);
  }
  if (!created) return undefined;
  let released = false;
  const unlock = options.unlockCommand ?? "decom force-unlock";
  return () => {
    if (released) return undefined;
    released = true;
    try {
      // Removed by force-unlock meanwhile is fine too: remove() ignores a missing file.
      (options.disk ?? localDisk).remove(path);
      return undefined;
    } catch (err) {
      const why = fsReason(err) ?? (err as Error).message;
      return `the lock ${shownAs} could not be removed: ${why}; once the folder is writable again, remove it with: ${unlock}`;
    }
  };
}

function heldError(lock: LockContent | undefined, shownAs: string, options: LockOptions, waitedMs = 0): DecomError {
  return new DecomError(error("lock.held", describeHeldLock(lock, shownAs, options.unlockCommand ?? "decom force-unlock", waitedMs)));
}

/** `1s`, `2m`; under a second, or not whole seconds, in ms (`600ms`) rather than rounded. */
function waitText(ms: number): string {
  return ms % 1000 === 0 ? formatDuration(ms) : `${ms}ms`;
}

/**
 * What a lock file holds: its holder; or, when it is not a lock decom wrote
 * (empty, not JSON, a field missing or of the wrong type), why not; or why it
 * cannot be read. Undefined when there is no lock file. Nothing in it is
 * trusted: every field is checked before it is shown or acted on.
 */
export type LockContent = { holder: LockHolder } | { foreign: string } | { unreadable: string };

export function readLock(path: string, disk: Disk = localDisk): LockContent | undefined {
  let text: string | undefined;
  try {
    text = disk.readText(path);
  } catch (err) {
    return { unreadable: fsReason(err) ?? (err as Error).message };
  }
  if (text === undefined) return undefined;
  const holder = lockHolder(text);
  return typeof holder === "string" ? { foreign: holder } : { holder };
}

/** The holder written in `text`, or why `text` is not a lock decom wrote. */
function lockHolder(text: string): LockHolder | string {
  if (text.trim() === "") return "it is empty";
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return "it is not JSON";
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return "it is not a JSON object";
  const fields = data as Record<string, unknown>;
  for (const key of ["pid", "host", "time", "command"]) {
    if (!(key in fields)) return `it has no "${key}"`;
  }
  if (!Number.isSafeInteger(fields.pid) || (fields.pid as number) < 1) return '"pid" is not a process id';
  for (const key of ["host", "time", "command"]) {
    if (typeof fields[key] !== "string" || fields[key] === "") return `"${key}" is not text`;
  }
  return { pid: fields.pid as number, host: fields.host as string, time: fields.time as string, command: fields.command as string };
}

/** A lock whose process is gone: same host, and no process with its pid. */
export function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Fields are checked but shown escaped: the command may name ids (--target), and any field may have been edited. */
export function describeHolder(holder: LockHolder): string {
  const [pid, host, time] = [holder.pid, holder.host, holder.time].map((field) => escaped(String(field)));
  return `${quoted(String(holder.command))} (pid ${pid} on ${host}, since ${time})`;
}

function describeHeldLock(lock: LockContent | undefined, shownAs: string, unlock: string, waitedMs: number): string {
  if (!lock) return `${shownAs} was taken by another decom, which has just removed it; run the command again`;
  if ("unreadable" in lock)
    return `${shownAs} exists but cannot be read (${lock.unreadable}); if no other decom is running, remove it with: ${unlock}`;
  if ("foreign" in lock) return `${shownAs} is not a lock decom wrote (${lock.foreign}); if no decom is running, remove it with: ${unlock}`;
  const holder = lock.holder;
  if (isStale(holder)) {
    return (
      `${shownAs} is stale: it was taken by ${describeHolder(holder)}, which is no longer running. ` +
      `If no other decom is running, remove it with: ${unlock}`
    );
  }
  if (waitedMs > 0) {
    return (
      `the state is still locked by ${describeHolder(holder)} (${shownAs}) after waiting ${waitText(waitedMs)}; ` +
      `wait for it to finish, or give a longer --lock-timeout. If it is gone, remove the lock with: ${unlock}`
    );
  }
  return (
    `the state is locked by ${describeHolder(holder)} (${shownAs}); wait for it to finish. ` +
    `If it is gone, remove the lock with: ${unlock}`
  );
}
