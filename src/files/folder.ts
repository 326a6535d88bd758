/**
 * Whether a file can be made at a path the user gave, said before any work is
 * done: a plan should not be made, or a manifest half set up, only to find at
 * the end that its folder is missing or closed.
 */
import { statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { localDisk, type Disk } from "./disk.js";
import { fileError, isMissing } from "./fs-error.js";

export interface FolderProblem {
  /** The folder is not there at all (rather than a file being in its place). */
  missing: boolean;
  /** `the folder plans does not exist`, `plans is a file, not a folder`. */
  text: string;
}

/**
 * Why no file can be created at `path` (shown as `shown`) because of its
 * folder, or undefined when the folder is there.
 */
export function folderProblem(path: string, shown: string): FolderProblem | undefined {
  const folder = dirname(shown);
  try {
    if (statSync(dirname(path)).isDirectory()) return undefined;
    return { missing: false, text: `${folder} is a file, not a folder` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (isMissing(err)) return { missing: true, text: `the folder ${folder} does not exist` };
    if (code === "ENOTDIR") return { missing: false, text: `a part of ${folder} is a file, not a folder` };
    return undefined; // unreadable in some other way: creating the file says why
  }
}

/** The problem, and what to do about a missing folder. */
export function folderAdvice(problem: FolderProblem): string {
  return `${problem.text}${problem.missing ? "; create it first, or choose another path" : ""}`;
}

/**
 * Creates and removes an empty file beside `path`, through `disk`: the one
 * sure way to know the folder takes new files (permissions, ACLs, read-only
 * mounts) before the work whose result goes there. Throws a one-line
 * DecomError `what: why` when it does not.
 */
export function probeWritable(path: string, what: string, disk: Disk = localDisk): void {
  const probe = join(dirname(path), `.${basename(path)}.${process.pid}.probe`);
  try {
    if (disk.createNew(probe, "")) disk.remove(probe);
  } catch (err) {
    throw fileError("file.unwritable", what, err, true);
  }
}
