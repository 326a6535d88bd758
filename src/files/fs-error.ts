/**
 * A file-system failure on a path the user chose (a directory where a file
 * belongs, a folder decom may not write) is their problem to fix, not a bug in
 * decom: one line saying why, in words. Anything else is left as it is.
 */
import { DecomError, error } from "../diagnostics.js";

const WHY: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory, not a file",
  ENOTREG: "it is not a regular file (a named pipe, a socket or a device)",
  ENOTDIR: "a part of its path is not a directory",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
};

/** The file (or a folder on its path) does not exist: for readers, often "nothing yet" rather than a failure. */
export function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

/**
 * Why a file could not be read (or, with `creating`, created), or undefined
 * when `err` is not a file-system error.
 */
export function fsReason(err: unknown, creating = false): string | undefined {
  const { code, syscall } = (err ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== "string" || typeof syscall !== "string") return undefined;
  if (isMissing(err)) return creating ? "its folder does not exist" : "no such file";
  if (creating && (code === "EACCES" || code === "EPERM")) return "permission denied (the folder is not writable)";
  return WHY[code] ?? (err as Error).message;
}

/** `what: why` as a DecomError with `code`; any other error comes back unchanged, to be rethrown. */
export function fileError(code: string, what: string, err: unknown, creating = false): unknown {
  const why = fsReason(err, creating);
  return why === undefined ? err : new DecomError(error(code, `${what}: ${why}`));
}
