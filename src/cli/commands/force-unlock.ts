/** `decom force-unlock`: remove a state lock whose holder is gone. */
import { hostname } from "node:os";
import { fail } from "../../diagnostics.js";
import { localDisk } from "../../files/disk.js";
import { fileError } from "../../files/fs-error.js";
import { describeHolder, isStale, lockPathFor, readLock } from "../../state/lock.js";
import { FILE_OPTIONS, HELP_OPTION, parseCommandArgs } from "../args.js";
import { checkGivenFiles, resolvePaths } from "../../operations/workspace.js";
import type { Io } from "../io.js";

export const help = `Usage: decom force-unlock [-f decom.yaml] [--state FILE]

Removes <state>.lock, left behind by a decom that was killed. It refuses while
the process that took the lock is still running on this machine. A lock taken
on another machine cannot be checked from here: make sure that decom is gone.

Options:
  -f, --manifest FILE     manifest whose state is locked (default: decom.yaml)
      --state FILE        state file (default: decom.state.json beside the manifest)

Examples:
  decom force-unlock
  decom force-unlock --state prod/decom.state.json
`;

export const options = { ...FILE_OPTIONS, ...HELP_OPTION } as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("force-unlock", args, options, 0);
  checkGivenFiles(io.cwd, values.manifest, values.state);
  const paths = resolvePaths(io.cwd, values.manifest, values.state);
  const lockPath = lockPathFor(paths.stateAbsolute);
  const shown = lockPathFor(paths.state);
  const disk = io.disk ?? localDisk;
  const lock = readLock(lockPath, disk);
  if (lock === undefined) {
    io.stdout.write(`No lock to remove: ${shown} does not exist.\n`);
    return 0;
  }
  const holder = "holder" in lock ? lock.holder : undefined;
  if (holder && !isStale(holder) && holder.host === hostname()) {
    fail("lock.alive", `${shown} belongs to ${describeHolder(holder)}, which is still running; stop it first (it removes its lock when it ends)`);
  }
  try {
    disk.remove(lockPath);
  } catch (err) {
    throw fileError("lock.unremovable", `cannot remove the lock ${shown}`, err);
  }
  const what = holder ? `, taken by ${describeHolder(holder)}` : "foreign" in lock ? `, which was not a lock decom wrote (${lock.foreign})` : "";
  io.stdout.write(`Removed ${shown}${what}.\n`);
  return 0;
}
