/**
 * `forceUnlock(options)`: what `decom force-unlock` does, as a function.
 * Removes the state's lock, left behind by a decom that was killed; refuses
 * while the process that took it still runs on this machine. A lock taken on
 * another machine cannot be checked from here.
 */
import { hostname } from "node:os";
import { fail } from "../diagnostics.js";
import { localDisk } from "../files/disk.js";
import { fileError } from "../files/fs-error.js";
import { describeHolder, isStale, lockPathFor, readLock, type LockContent } from "../state/lock.js";
import type { WorkspaceOptions } from "./options.js";
import { checkGivenFiles, resolvePaths } from "./workspace.js";

export type ForceUnlockOptions = Pick<WorkspaceOptions, "manifest" | "state" | "cwd" | "disk">;

/** The lock, as its path is shown; and, when there was one, what it held (its holder, or why it was not a lock decom wrote). */
export type ForceUnlockResult = { lock: string; removed: false } | { lock: string; removed: true; content: LockContent };

/** A lock whose holder still runs here, or that cannot be removed, is a DecomError, and nothing is removed. */
export function forceUnlock(options: ForceUnlockOptions = {}): ForceUnlockResult {
  const cwd = options.cwd ?? process.cwd();
  checkGivenFiles(cwd, options.manifest, options.state);
  const paths = resolvePaths(cwd, options.manifest, options.state);
  const lockPath = lockPathFor(paths.stateAbsolute);
  const shown = lockPathFor(paths.state);
  const disk = options.disk ?? localDisk;
  const lock = readLock(lockPath, disk);
  if (lock === undefined) return { lock: shown, removed: false };
  const holder = "holder" in lock ? lock.holder : undefined;
  if (holder && !isStale(holder) && holder.host === hostname()) {
    fail(
      "lock.alive",
      `${shown} belongs to ${describeHolder(holder)}, which is still running; stop it first (it removes its lock when it ends)`,
    );
  }
  try {
    disk.remove(lockPath);
  } catch (err) {
    throw fileError("lock.unremovable", `cannot remove the lock ${shown}`, err);
  }
  return { lock: shown, removed: true, content: lock };
}
