/**
 * Appends to an archive. Opening it reads what it holds (so an apply that runs
 * again after a crash does not archive the same document twice) and cuts a torn
 * last line; every append is on disk (fsync) before it returns, because the
 * batch it precedes is sent next.
 */
import { DecomError, error } from "../diagnostics.js";
import { canonicalJsonLine } from "../files/canonical-json.js";
import type { AppendLog, Disk } from "../files/disk.js";
import { fileError } from "../files/fs-error.js";
import { sha256 } from "../files/sha256.js";
import type { EntityKind } from "../state/model.js";
import type { ArchivedAt, ArchivedDocument, ArchiveLine } from "./model.js";
import { type Archive, type ArchiveEntry, type ReadOptions, readArchive } from "./read.js";

export interface ArchiveWriteStats {
  lines: number;
  bytes: number;
}

export class ArchiveWriter {
  readonly stats: ArchiveWriteStats = { lines: 0, bytes: 0 };

  /** Opened at the first append: an apply that archives nothing leaves no file behind. */
  private log: AppendLog | undefined;

  private constructor(
    private readonly disk: Disk,
    private readonly path: string,
    private readonly held: Archive,
    private readonly shownAs: string,
  ) {}

  /** Reads and checks what `path` holds; the file is created (or its torn last line cut) only when something is appended. */
  static open(disk: Disk, path: string, shownAs: string, options: ReadOptions = { documents: false }): ArchiveWriter {
    return ArchiveWriter.over(disk, path, shownAs, readArchive(disk, path, shownAs, options));
  }

  /**
   * A writer over an archive already read (restore reads it before taking the
   * lock): not read again; if the file changed since, the first append (or
   * `ready`) stops rather than write after lines it has not checked.
   */
  static over(disk: Disk, path: string, shownAs: string, archive: Archive): ArchiveWriter {
    return new ArchiveWriter(disk, path, archive, shownAs);
  }

  /** What the archive held when opened, and what this writer has added since. */
  entry(kind: EntityKind, id: string): ArchiveEntry | undefined {
    return this.held.entries[kind].get(id);
  }

  get entries(): Archive["entries"] {
    return this.held.entries;
  }

  /**
   * Archives the documents batch `seq` is about to delete, durably. A document
   * the archive already holds, unchanged and not restored since, is not written
   * again: a batch submitted again after a crash or a lost answer adds nothing.
   */
  archive(kind: EntityKind, documents: readonly ArchivedDocument[], at: ArchivedAt): number {
    return this.archivePrepared(kind, documents.map(prepareDocument), at);
  }

  /** `archive`, for documents already made ready (`prepareDocument`). */
  archivePrepared(kind: EntityKind, documents: readonly PreparedDocument[], at: ArchivedAt): number {
    const lines: string[] = [];
    for (const { id, text, digest } of documents) {
      const known = this.held.entries[kind].get(id);
      if (known && known.digest === digest && !known.restored) continue;
      lines.push(archivedLine(kind, id, text, at));
      const entry: ArchiveEntry = { kind, id, line: ++this.held.lines, digest, time: at.time, seq: at.seq };
      if (at.apply !== undefined) entry.apply = at.apply;
      if (at.endpoint !== undefined) entry.endpoint = at.endpoint;
      if (at.cascade !== undefined) entry.cascade = at.cascade;
      this.held.entries[kind].set(id, entry);
    }
    this.write(lines);
    return lines.length;
  }

  /** Records that each id was created again from its newest archived document. */
  restored(kind: EntityKind, ids: readonly string[], time: string): void {
    const lines = ids.map((id) => canonicalJsonLine({ restored: { kind, id, time } } satisfies ArchiveLine));
    this.write(lines);
    for (const id of ids) {
      const line = ++this.held.lines;
      const entry = this.held.entries[kind].get(id);
      if (entry) entry.restored = { line, time };
    }
  }

  /** Opens the file for appending now (checking that no one changed it since it was read), rather than at the first append. */
  ready(): void {
    try {
      this.openLog();
    } catch (err) {
      throw fileError("archive.unwritable", this.shownAs, err, true);
    }
  }

  close(): void {
    this.log?.close();
    this.log = undefined;
  }

  private openLog(): AppendLog {
    if (this.log) return this.log;
    const { held } = this;
    // Another writer (another state sharing this archive) may have appended since it was read: never cut its lines.
    if ((this.disk.size(this.path) ?? 0) !== held.size) {
      throw new DecomError(
        error("archive.changed", `${this.shownAs} changed since decom read it (another decom writing it?); nothing more was sent`),
      );
    }
    if (held.intactBytes < held.size) this.disk.truncate(this.path, held.intactBytes);
    const log = this.disk.openLog(this.path);
    if (held.unterminated) log.append("\n");
    held.size = held.intactBytes = held.intactBytes + (held.unterminated ? 1 : 0);
    held.unterminated = false;
    this.log = log;
    return log;
  }

  private write(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const text = lines.join("\n") + "\n";
    try {
      this.openLog().append(text);
    } catch (err) {
      throw fileError("archive.unwritable", this.shownAs, err, true);
    }
    this.stats.lines += lines.length;
    this.stats.bytes += Buffer.byteLength(text);
  }
}

/**
 * A document made ready to archive: its canonical text (what the line holds)
 * and that text's digest. Made as soon as the document arrives, so the work is
 * not done while a batch waits to be sent, and the text is all that is kept.
 */
export interface PreparedDocument {
  readonly id: string;
  readonly text: string;
  readonly digest: string;
}

export function prepareDocument(document: ArchivedDocument): PreparedDocument {
  // Canonical once: its text is both what the digest is of and what the line holds.
  const text = canonicalJsonLine(document);
  return { id: document.id, text, digest: sha256(text) };
}

/**
 * The canonical line of an `archived` record, around a document already in
 * canonical text: keys in sorted order (apply, cascade, document, endpoint, id, kind, seq, time),
 * as canonicalJsonLine would write them, without sorting the document again.
 */
function archivedLine(kind: EntityKind, id: string, document: string, at: ArchivedAt): string {
  const apply = at.apply !== undefined ? `"apply":${at.apply},` : "";
  const cascade = at.cascade !== undefined ? `"cascade":${JSON.stringify(at.cascade)},` : "";
  const endpoint = at.endpoint !== undefined ? `"endpoint":${JSON.stringify(at.endpoint)},` : "";
  return (
    `{"archived":{${apply}${cascade}"document":${document},${endpoint}"id":${JSON.stringify(id)},"kind":${JSON.stringify(kind)},` +
    `"seq":${at.seq},"time":${JSON.stringify(at.time)}}}`
  );
}
