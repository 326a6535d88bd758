/**
 * Reads a manifest file: YAML with source positions, validated against
 * `schemas/manifest.schema.json`, then checked for what a schema cannot say
 * (an id listed twice, text that cannot go in a URL). Throws DecomError
 * listing every problem found.
 */
import { localDisk } from "../files/disk.js";
import { DecomError, error, type Diagnostic } from "../diagnostics.js";
import { fsReason, isMissing } from "../files/fs-error.js";
import { sha256 } from "../files/sha256.js";
import { validateManifestDocument } from "../schemas.js";
import { quoted } from "../text/escape.js";
import { whyNotUrlSafe } from "../text/url-safe.js";
import { canonicalCascade, canonicalSelector, type Manifest, type Selector } from "./model.js";
import { parseChunkedSource } from "./chunked-source.js";
import { entryPositions } from "./entry-positions.js";
import { displayPath } from "./positions.js";
import { schemaDiagnostics } from "./schema-diagnostics.js";
import { parseWholeSource, type SourceLocator } from "./source.js";

/** The manifest as written, once the schema has accepted it. */
interface ManifestDocument {
  version: 1;
  defaults?: { cascade?: string[] };
  resources?: ({ id: string; cascade?: string[] } | { select: Selector; cascade?: string[] })[];
  resourceTypes?: { id: string }[];
  protect?: { resources?: string[]; resourceTypes?: string[] };
  guard?: { maxDeletes?: number };
}

export function loadManifest(path: string, shownAs: string = path): Manifest {
  let bytes: Buffer;
  try {
    bytes = localDisk.readBytes(path);
  } catch (err) {
    const why = isMissing(err) ? "no such file (pass another with -f/--manifest)" : fsReason(err);
    if (why === undefined) throw err;
    throw new DecomError(error("manifest.unreadable", `${shownAs}: ${why}`));
  }
  return parseManifest(bytes.toString("utf8"), shownAs, sha256(bytes));
}

/**
 * Id lists are parsed in slices whatever their size (see chunked-source.ts):
 * YAML took ~100 ms of every apply for a 1,000-id list, the slices' plain
 * reading a few. A file of any other shape is parsed whole.
 */
export function parseManifest(source: string, path: string, digest: string): Manifest {
  const sliced = parseChunkedSource(source);
  const parsed = sliced ?? parseWholeSource(source);
  if (parsed.syntaxErrors.length > 0) {
    throw new DecomError(
      parsed.syntaxErrors.map((e) =>
        error(`manifest.yaml.${e.code}`, `invalid YAML: ${e.message}`, { source: { file: path, ...e.position } }),
      ),
    );
  }
  const data = parsed.data;
  if (data === null || data === undefined) {
    throw new DecomError(
      error("manifest.empty", "the manifest is empty; it needs at least `version: 1`", {
        source: { file: path, line: 1, column: 1 },
      }),
    );
  }
  if (!validateManifestDocument(data)) {
    throw new DecomError(schemaDiagnostics(validateManifestDocument.errors ?? [], parsed.locator, path));
  }
  const written = data as ManifestDocument;
  const defaultCascade = written.defaults?.cascade ?? [];
  const manifest: Manifest = {
    path,
    sha256: digest,
    resources: [],
    selectors: [],
    resourceTypes: (written.resourceTypes ?? []).map((entry) => ({ id: entry.id })),
    protect: { resources: written.protect?.resources ?? [], resourceTypes: written.protect?.resourceTypes ?? [] },
    guard: written.guard?.maxDeletes !== undefined ? { maxDeletes: written.guard.maxDeletes } : {},
  };
  for (const entry of written.resources ?? []) {
    const cascade = canonicalCascade(entry.cascade ?? defaultCascade);
    if ("id" in entry) manifest.resources.push({ id: entry.id, cascade });
    else manifest.selectors.push({ selector: entry.select, entry: canonicalSelector(entry.select), cascade });
  }

  const at = new Positions(parsed.locator, path);
  const problems = [...notUrlSafeProblems(written, [], at), ...crossEntryProblems(written, at)];
  if (problems.length > 0) throw new DecomError(problems);
  // A sliced locator holds the slices' text only; a whole one holds the syntax
  // tree, so the plan does not keep it: it is parsed again if a blocker needs it.
  const locator = sliced ? () => sliced.locator : () => parseWholeSource(source).locator;
  const positions = entryPositions(locator, {
    explicitIds: manifest.resources.map((entry) => entry.id),
    resourceEntries: written.resources?.length ?? 0,
    resourceTypes: manifest.resourceTypes.map((entry) => entry.id),
    protectedResources: manifest.protect.resources,
    protectedResourceTypes: manifest.protect.resourceTypes,
  });
  // Not enumerable: a manifest serialised (or compared) is its data, not these lookups.
  Object.defineProperty(manifest, "positions", { value: positions, enumerable: false });
  return manifest;
}

/** Where a field is, for messages: `{ path: "resources[2].id", source: {file, line, column} }`. */
class Positions {
  constructor(
    private readonly locator: SourceLocator,
    private readonly file: string,
  ) {}

  at(path: (string | number)[]): { path: string; source: { file: string; line: number; column: number } } {
    return { path: displayPath(path), source: { file: this.file, ...this.locator.at(path) } };
  }

  line(path: (string | number)[]): number {
    return this.locator.at(path).line;
  }
}

/**
 * What the schema cannot say: an id or selector listed twice, and an entry that
 * names something `protect` forbids deleting.
 */
function crossEntryProblems(written: ManifestDocument, at: Positions): Diagnostic[] {
  const resources = written.resources ?? [];
  const out = [
    ...idListProblems(
      resources.map((e) => ("id" in e ? e.id : undefined)),
      "resources",
      written.protect?.resources ?? [],
      at,
    ),
    ...idListProblems(
      (written.resourceTypes ?? []).map((e) => e.id),
      "resourceTypes",
      written.protect?.resourceTypes ?? [],
      at,
    ),
  ];
  const firstSelector = new Map<string, number>();
  resources.forEach((entry, index) => {
    if (!("select" in entry)) return;
    const canonical = canonicalSelector(entry.select);
    const first = firstSelector.get(canonical);
    if (first === undefined) firstSelector.set(canonical, index);
    else
      out.push(
        error(
          "manifest.duplicate-selector",
          `the same selector as resources[${first}] (line ${at.line(["resources", first, "select"])})`,
          at.at(["resources", index, "select"]),
        ),
      );
  });
  return out;
}

/**
 * Every id, protected id and selector value is sent in URLs; one that cannot be
 * is an error where it is written. (`path` is one array, pushed and popped: a
 * manifest may hold a million strings.)
 */
function notUrlSafeProblems(value: unknown, path: (string | number)[], at: Positions, out: Diagnostic[] = []): Diagnostic[] {
  if (typeof value === "string") {
    const why = whyNotUrlSafe(value);
    if (why !== undefined) out.push(error("manifest.not-url-safe", why, at.at([...path])));
  } else if (Array.isArray(value)) {
    value.forEach((child, index) => {
      path.push(index);
      notUrlSafeProblems(child, path, at, out);
      path.pop();
    });
  } else if (typeof value === "object" && value !== null) {
    for (const key in value) {
      path.push(key);
      notUrlSafeProblems((value as Record<string, unknown>)[key], path, at, out);
      path.pop();
    }
  }
  return out;
}

/** `ids[i]` is the id of entry i of `list`, or undefined for a selector entry. */
function idListProblems(
  ids: (string | undefined)[],
  list: "resources" | "resourceTypes",
  protectedIds: string[],
  at: Positions,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const first = new Map<string, number>();
  const guarded = new Map(protectedIds.map((id, i) => [id, i]));
  ids.forEach((id, index) => {
    if (id === undefined) return;
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else
      out.push(
        error(
          "manifest.duplicate-id",
          `duplicate id ${quoted(id)} (first listed at line ${at.line([list, earlier, "id"])})`,
          at.at([list, index, "id"]),
        ),
      );
    const protectedAt = guarded.get(id);
    if (protectedAt !== undefined) {
      out.push(
        error(
          "manifest.protected",
          `${quoted(id)} is protected (protect.${list}, line ${at.line(["protect", list, protectedAt])}); ` +
            "remove it from one of the two lists",
          at.at([list, index, "id"]),
        ),
      );
    }
  });
  return out;
}
