import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Write a file so that readers see either the old or the new content, never a
 * torn one, and so that the new content survives a power loss once we return:
 * temp file in the same directory, fsync, rename, fsync the directory.
 * Returns the number of bytes written.
 */
export function writeFileAtomic(path: string, content: string | Iterable<string>): number {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const written = writeAndClose(openSync(tmp, "w", 0o644), tmp, content);
  try {
    renameSync(tmp, path);
  } catch (err) {
    safeUnlink(tmp);
    throw err;
  }
  fsyncDirectory(dir);
  return written;
}

/**
 * Writes every piece to the open `fd`, fsyncs and closes it, and returns the
 * bytes written. If that fails, `path` (the file behind `fd`) is removed: a
 * file left half-written would pass for a whole one.
 */
export function writeAndClose(fd: number, path: string, content: string | Iterable<string>): number {
  let written = 0;
  try {
    for (const piece of typeof content === "string" ? [content] : content) written += writeString(fd, piece);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    safeUnlink(path);
    throw err;
  }
  closeSync(fd);
  return written;
}

/** All of `text`: a single writeSync may write only part of it. */
export function writeString(fd: number, text: string): number {
  const bytes = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
  return bytes.length;
}

export function fsyncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
