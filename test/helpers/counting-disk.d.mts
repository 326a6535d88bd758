import type { AppendLog, Disk } from "../../src/files/disk.js";

/** A Disk that counts the bytes written through it (content, not metadata), and the writes: whole files and appends. */
export declare class CountingDisk implements Disk {
  bytesWritten: number;
  writes: number;
  constructor(inner: Disk);
  readText(path: string): string | undefined;
  readBytes(path: string): Buffer;
  readPieces(path: string, pieceSize?: number): Iterable<Buffer> | undefined;
  size(path: string): number | undefined;
  createNew(path: string, content: string): boolean;
  writeAtomic(path: string, content: string | Iterable<string>): void;
  openLog(path: string): AppendLog;
  truncate(path: string, length: number): void;
  remove(path: string): void;
}
