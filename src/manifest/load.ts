/**
 * Reads a manifest file: YAML with source positions, validated against
 * `schemas/manifest.schema.json`, then checked for what a schema cannot say
 * (an id listed twice). Throws DecomError listing every problem found.
 */
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument, type Document } from "yaml";
import { DecomError, error, type Diagnostic } from "../diagnostics.js";
import { sha256 } from "../files/sha256.js";
import { validateManifestDocument } from "../schemas.js";
import { canonicalCascade, type Manifest } from "./model.js";
import { displayPath, lineColumn, nodeAt } from "./positions.js";
import { schemaDiagnostics } from "./schema-diagnostics.js";

/** The manifest as written, once the schema has accepted it. */
interface ManifestDocument {
  version: 1;
  defaults?: { cascade?: string[] };
  resources?: { id: string; cascade?: string[] }[];
  resourceTypes?: { id: string }[];
}

/** `shownAs` is how messages name the file (as the user typed it). */
export function loadManifest(path: string, shownAs: string = path): Manifest {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file (pass another with -f/--manifest)" : String((err as Error).message);
    throw new DecomError(error("manifest.unreadable", `${shownAs}: ${why}`));
  }
  return parseManifest(bytes.toString("utf8"), shownAs, sha256(bytes));
}

export function parseManifest(source: string, path: string, digest: string): Manifest {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false });

  if (doc.errors.length > 0) {
    throw new DecomError(
      doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return error(`manifest.yaml.${e.code}`, `invalid YAML: ${firstLine(e.message)}`, {
          source: { file: path, line, column: col },
        });
      }),
    );
  }

  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    throw new DecomError(
      error("manifest.empty", "the manifest is empty; it needs at least `version: 1`", {
        source: { file: path, line: 1, column: 1 },
      }),
    );
  }
  if (!validateManifestDocument(data)) {
    throw new DecomError(schemaDiagnostics(validateManifestDocument.errors ?? [], doc, lineCounter, path));
  }
  const manifest = data as ManifestDocument;

  const duplicates = [
    ...duplicateIds(manifest.resources ?? [], "resources", doc, lineCounter, path),
    ...duplicateIds(manifest.resourceTypes ?? [], "resourceTypes", doc, lineCounter, path),
  ];
  if (duplicates.length > 0) throw new DecomError(duplicates);

  const defaultCascade = manifest.defaults?.cascade ?? [];
  return {
    path,
    sha256: digest,
    resources: (manifest.resources ?? []).map((entry) => ({
      id: entry.id,
      cascade: canonicalCascade(entry.cascade ?? defaultCascade),
    })),
    resourceTypes: (manifest.resourceTypes ?? []).map((entry) => ({ id: entry.id })),
  };
}

function duplicateIds(
  entries: readonly { id: string }[],
  listName: string,
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): Diagnostic[] {
  const firstIndex = new Map<string, number>();
  const out: Diagnostic[] = [];
  entries.forEach((entry, index) => {
    const first = firstIndex.get(entry.id);
    if (first === undefined) {
      firstIndex.set(entry.id, index);
      return;
    }
    const path = [listName, index, "id"];
    const firstLine = lineColumn(lineCounter, nodeAt(doc, [listName, first, "id"])).line;
    out.push(
      error("manifest.duplicate-id", `duplicate id "${entry.id}" (first listed at line ${firstLine})`, {
        path: displayPath(path),
        source: { file, ...lineColumn(lineCounter, nodeAt(doc, path)) },
      }),
    );
  });
  return out;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
