/**
 * Every file decom reads, writes or removes goes through a Disk (the manifest,
 * saved plans, the state, its journal and lock, init's starter files, an SDK
 * profile), so the apply benchmark and tests can count or fail the calls of a
 * Disk they pass in (reads of the manifest, plan and profile use localDisk, which
 * no option replaces yet), and so the durable-append rule (fsync before going on) lives in one place. Only
 * decom's own package files (its version, its schemas) are read directly.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, statSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { isMissing } from "./fs-error.js";
import { fsyncDirectory, writeAndClose, writeFileAtomic, writeString } from "./write-atomic.js";

/** An append-only file whose every append is on disk (fsync) before `append` returns. */
export interface AppendLog {
  append(text: string): void;
  close(): void;
}

export interface Disk {
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): string | undefined;
  /** The file's bytes; a missing file is the file system's error (ENOENT), as any other, for the caller to word. */
  readBytes(path: string): Buffer;
  /**
   * The file's bytes in pieces (a file too large for one string is read all the
   * same), or undefined when it does not exist. Anything but a regular file is
   * refused before it is opened (ENOTREG): a named pipe would block the read.
   */
  readPieces(path: string, pieceSize?: number): Iterable<Buffer> | undefined;
  /** Bytes in the file now, or undefined when it does not exist. */
  size(path: string): number | undefined;
  /** Writes a file that must not exist yet, durably; false when one does (how a lock is taken, atomically). */
  createNew(path: string, content: string): boolean;
  /** Content may come in pieces, so that a large file is never one string in memory. */
  writeAtomic(path: string, content: string | Iterable<string>): void;
  openLog(path: string): AppendLog;
  /** Cuts the file to its first `length` bytes, durably (a log's torn last line, before appending after it). */
  truncate(path: string, length: number): void;
  /** Removes the file if it exists, durably. */
  remove(path: string): void;
}

/**
 * A file's UTF-8 text, read and decoded whole by Node (no Buffer is made for
 * it). Read through a small buffer instead, its decoded pieces, held until
 * joined, outlived a few young-generation collections each and were moved to
 * the old generation, where they stayed until the next full collection: a
 * 26 MB plan cost 26 MB more at its peak (measured alone, apart from apply:
 * peak RSS 145 MB in 64 KB pieces, 119 MB whole).
 */
export function readTextFile(path: string): string {
  return readFileSync(path, "utf8");
}

export const localDisk: Disk = {
  readText(path) {
    try {
      return readTextFile(path);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  },
  readBytes(path) {
    return readFileSync(path);
  },
  readPieces(path, pieceSize = 1 << 20) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    if (stat.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path}`), { code: "EISDIR", syscall: "open", path });
    if (!stat.isFile()) throw Object.assign(new Error(`ENOTREG: ${path}`), { code: "ENOTREG", syscall: "open", path });
    return pieces(path, pieceSize);
  },
  size(path) {
    try {
      return statSync(path).size;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  },
  createNew(path, content) {
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw err;
    }
    writeAndClose(fd, path, content);
    fsyncDirectory(dirname(path));
    return true;
  },
  writeAtomic(path, content) {
    writeFileAtomic(path, content);
  },
  openLog(path) {
    const fd = openSync(path, "a", 0o644);
    fsyncDirectory(dirname(path));
    return {
      append(text) {
        writeString(fd, text);
        fsyncSync(fd);
      },
      close() {
        closeSync(fd);
      },
    };
  },
  truncate(path, length) {
    const fd = openSync(path, "r+");
    try {
      ftruncateSync(fd, length);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  remove(path) {
    try {
      unlinkSync(path);
    } catch (err) {
      if (!isMissing(err)) throw err;
      return;
    }
    fsyncDirectory(dirname(path));
  },
};

function* pieces(path: string, pieceSize: number): Generator<Buffer> {
  const fd = openSync(path, "r");
  try {
    // Checked again on the open file: it may have been replaced since the stat.
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error(`ENOTREG: ${path}`), { code: "ENOTREG", syscall: "open", path });
    for (;;) {
      const buffer = Buffer.allocUnsafe(pieceSize);
      const read = readSync(fd, buffer, 0, pieceSize, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}
