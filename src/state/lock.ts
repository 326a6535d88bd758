/**
 * `<state>.lock`: one decom at a time per state file. Taken atomically (the file
 * is created only if absent), it names its holder so that a second run can say
 * who holds it, and whether that holder is gone (a stale lock to remove with
 * `decom force-unlock`). Never removed automatically.
 */
import { hostname } from "node:os";
import { DecomError, error } from "../diagnostics.js";
import { escaped, quoted } from "../text/escape.js";
import { localDisk, type Disk } from "../files/disk.js";
import { fileError, fsReason } from "../files/fs-error.js";

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

/**
 * Takes the lock or throws a DecomError naming the holder, or why it cannot be
 * created. Returns the release function, which never throws: a lock it cannot
 * remove is left for `decom force-unlock`, and it says why (undefined when released).
 */
export function acquireLock(path: string, shownAs: string, command: string, options: LockOptions = {}): () => string | undefined {
  const holder: LockHolder = { pid: process.pid, host: hostname(), time: (options.now ?? (() => new Date()))().toISOString(), command };
  let created: boolean;
  try {
    created = (options.disk ?? localDisk).createNew(path, JSON.stringify(holder, null, 2) + "\n");
  } catch (err) {
    throw fileError("lock.unwritable", `cannot create the lock ${shownAs}`, err, true);
  }
  if (!created)
    throw new DecomError(
      error(
        "lock.held",
        describeHeldLock(readLock(path, options.disk ?? localDisk), shownAs, options.unlockCommand ?? "decom force-unlock"),
      ),
    );
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

function describeHeldLock(lock: LockContent | undefined, shownAs: string, unlock: string): string {
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
  return (
    `the state is locked by ${describeHolder(holder)} (${shownAs}); wait for it to finish. ` +
    `If it is gone, remove the lock with: ${unlock}`
  );
}
