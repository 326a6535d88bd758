/**
 * `<state>.lock`: one decom at a time per state file. Taken atomically (the file
 * is created only if absent), it names its holder so that a second run can say
 * who holds it, and whether that holder is gone (a stale lock to remove with
 * `decom force-unlock`). Never removed automatically.
 */
import { readFileSync } from "node:fs";
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
  if (!created) throw new DecomError(error("lock.held", describeHeldLock(readLock(path), shownAs, options.unlockCommand ?? "decom force-unlock")));
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
      return `the lock ${shownAs} could not be removed: ${fsReason(err) ?? (err as Error).message}; once the folder is writable again, remove it with: ${unlock}`;
    }
  };
}

export function readLock(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
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

/** The lock file is read as found: its command may name ids (--target), and any field may have been edited. */
export function describeHolder(holder: LockHolder): string {
  return `${quoted(String(holder.command))} (pid ${escaped(String(holder.pid))} on ${escaped(String(holder.host))}, since ${escaped(String(holder.time))})`;
}

function describeHeldLock(holder: LockHolder | undefined, shownAs: string, unlock: string): string {
  if (!holder) return `${shownAs} exists but cannot be read; if no other decom is running, remove it with: ${unlock}`;
  if (isStale(holder)) {
    return `${shownAs} is stale: it was taken by ${describeHolder(holder)}, which is no longer running. If no other decom is running, remove it with: ${unlock}`;
  }
  return `the state is locked by ${describeHolder(holder)} (${shownAs}); wait for it to finish. If it is gone, remove the lock with: ${unlock}`;
}
