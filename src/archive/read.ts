/**
 * Reads an archive, every line validated against `schemas/archive.schema.json`.
 * A last line cut short by a crash is ignored: lines are fsync'd before the
 * batch they precede is sent, so a torn one preceded nothing. Any other line
 * that is not valid is refused, naming the file, line and field, with nothing
 * sent and nothing written.
 */
import { DecomError, error } from "../diagnostics.js";
import { canonicalJsonLine } from "../files/canonical-json.js";
import type { Disk } from "../files/disk.js";
import { fileError } from "../files/fs-error.js";
import { sha256 } from "../files/sha256.js";
import { ARCHIVE_LINE_KINDS, validateArchiveLine, validateArchiveLineOf } from "../schemas.js";
import type { CascadeOption } from "../manifest/model.js";
import type { EntityKind } from "../state/model.js";
import { quoted } from "../text/escape.js";
import type { ArchivedDocument, ArchivedLine, ArchiveLine } from "./model.js";

/** The newest archived line of one kind and id. */
export interface ArchiveEntry {
  kind: EntityKind;
  id: string;
  /** 1-based line number in the file. */
  line: number;
  /** Present when read with `documents: true` (restore); an apply needs only the digest. */
  document?: ArchivedDocument;
  /** sha256 of the document's canonical JSON: an apply does not archive the same document twice. */
  digest: string;
  time: string;
  apply?: number;
  seq: number;
  /** The tenant it was deleted from (lines written before decom recorded it have none). */
  endpoint?: string;
  /** What its batch's cascade removed with it. */
  cascade?: CascadeOption[];
  /** A `restored` line came after it: the entity was created again from it. */
  restored?: { line: number; time: string };
}

export interface Archive {
  entries: Record<EntityKind, Map<string, ArchiveEntry>>;
  /** Bytes of whole lines; a torn last line lies beyond them and is cut before the next append. */
  intactBytes: number;
  /** The last whole line lacks its newline (edited by hand): one is added before the next append. */
  unterminated: boolean;
  /** Bytes of the file as read (0 when there is none). */
  size: number;
  /** Whole lines in the file: the next line appended is number `lines + 1`. */
  lines: number;
}

export function emptyArchive(): Archive {
  return { entries: { resource: new Map(), resourceType: new Map() }, intactBytes: 0, unterminated: false, size: 0, lines: 0 };
}

export function documentDigest(document: ArchivedDocument): string {
  return sha256(canonicalJsonLine(document));
}

export interface ReadOptions {
  /** Keep each entry's document (restore); an apply needs only the digest. */
  documents: boolean;
  /** Only entries this accepts are kept (every line is still checked): an apply keeps the ids it deletes. */
  keep?: (kind: EntityKind, id: string) => boolean;
}

/**
 * The archive at `path` (shown as `shownAs`); an empty one when there is no
 * file. Read in pieces, line by line, so an archive of any size is read.
 */
export function readArchive(disk: Disk, path: string, shownAs: string, options: ReadOptions): Archive {
  let pieces: Iterable<Buffer> | undefined;
  try {
    pieces = disk.readPieces(path);
    if (pieces === undefined) return emptyArchive();
    return parseArchivePieces(pieces, shownAs, options);
  } catch (err) {
    throw fileError("archive.unreadable", shownAs, err);
  }
}

export function parseArchive(bytes: Buffer, shownAs: string, options: ReadOptions): Archive {
  return parseArchivePieces([bytes], shownAs, options);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** How every line decom writes begins (canonical JSON: the record's one key comes first). */
const LINE_STARTS = ['{"archived":{', '{"restored":{'];

function parseArchivePieces(pieces: Iterable<Buffer>, shownAs: string, options: ReadOptions): Archive {
  const archive = emptyArchive();
  let carry: Buffer = Buffer.alloc(0);
  let line = 0;
  for (const piece of pieces) {
    let chunk = carry.length > 0 ? Buffer.concat([carry, piece]) : piece;
    // A byte order mark an editor added is not part of the first line.
    if (archive.size === 0 && chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
    archive.size += piece.length;
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      line++;
      take(archive, parseLine(chunk.subarray(from, nl).toString("utf8"), line, shownAs), line, options);
      from = nl + 1;
    }
    carry = chunk.subarray(from);
  }
  archive.lines = line;
  archive.intactBytes = archive.size - carry.length;
  const tail = carry.toString("utf8");
  if (tail.trim() === "") {
    if (tail !== "") archive.unterminated = true;
    archive.intactBytes = archive.size;
    return archive;
  }
  const record = tryParse(tail);
  if (record === undefined) {
    // Only a line decom began to write and a crash cut short is ignored (and cut before the next append).
    if (!LINE_STARTS.some((start) => tail.startsWith(start))) throw corrupt(shownAs, line + 1, "not an archive line (not JSON)");
    return archive;
  }
  // Whole JSON, only its newline missing: a hand edit, kept if it is a line; never cut.
  take(archive, parseLine(tail, line + 1, shownAs), line + 1, options);
  archive.lines++;
  archive.intactBytes = archive.size;
  archive.unterminated = true;
  return archive;
}

function take(archive: Archive, record: ArchiveLine | undefined, line: number, options: ReadOptions): void {
  if (record === undefined) return;
  if ("archived" in record) {
    const { kind, id, document, apply, seq, time, endpoint, cascade } = record.archived;
    if (options.keep && !options.keep(kind, id)) return;
    const entry: ArchiveEntry = { kind, id, line, digest: documentDigest(document), time, seq };
    if (apply !== undefined) entry.apply = apply;
    if (endpoint !== undefined) entry.endpoint = endpoint;
    if (cascade !== undefined) entry.cascade = cascade;
    if (options.documents) entry.document = document;
    archive.entries[kind].set(id, entry);
    return;
  }
  const { kind, id, time } = record.restored;
  const entry = archive.entries[kind].get(id);
  if (entry) entry.restored = { line, time };
}

function parseLine(text: string, line: number, shownAs: string): ArchiveLine | undefined {
  if (text.trim() === "") return undefined;
  const data = tryParse(text);
  if (data === undefined) throw corrupt(shownAs, line, "not an archive line (not JSON)");
  if (!validateArchiveLine(data)) throw corrupt(shownAs, line, `not an archive line (${describeLineErrors(data)})`);
  return checked(data as ArchiveLine, line, shownAs);
}

function checked(record: ArchiveLine, line: number, shownAs: string): ArchiveLine {
  if ("archived" in record) {
    const { id, document } = (record as ArchivedLine).archived;
    if (document.id !== id) {
      throw corrupt(shownAs, line, `archived.document.id is ${quoted(document.id)}, but the line is for ${quoted(id)}`);
    }
  }
  return record;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function corrupt(shownAs: string, line: number, why: string): DecomError {
  return new DecomError(error("archive.corrupt", `${shownAs}:${line}: ${why}; the archive was not modified and nothing was sent`));
}

/** Why a line is not one, checked against the definition its first key names so the errors are about its own fields. */
function describeLineErrors(data: unknown): string {
  const key = data !== null && typeof data === "object" && !Array.isArray(data) ? Object.keys(data)[0] : undefined;
  if (key === undefined) return `expected an object with one of ${ARCHIVE_LINE_KINDS.join(", ")}`;
  const validate = validateArchiveLineOf.get(key);
  if (!validate) return `unknown line kind ${quoted(key)}`;
  validate(data);
  return (validate.errors ?? [])
    .map(
      (e) =>
        `${key}${e.instancePath.replace(new RegExp(`^/${key}`), "").replace(/\//g, ".")} <- ${e.message ?? e.keyword}` +
        (e.keyword === "additionalProperties" ? ` (${quoted(String(e.params.additionalProperty))})` : ""),
    )
    .join("; ");
}
