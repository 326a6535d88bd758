/**
 * Which archived entities a restore is about, and what must be said before any
 * request: an id not in the archive is a usage error; an id the manifest names
 * explicitly is refused (the next apply would delete it again), naming the
 * entry's line; an id a selector still in the manifest brought in is warned
 * about, since the selector may match it again.
 */
import type { Archive, ArchiveEntry } from "../archive/read.js";
import { DecomError, error, fail, warning, type Diagnostic } from "../diagnostics.js";
import { isSelectorEntry, type Manifest, type ManifestPosition } from "../manifest/model.js";
import { ENTITY_KINDS, type State } from "../state/model.js";
import { compareStrings } from "../text/compare.js";
import { quoted } from "../text/escape.js";
import { count } from "../text/plural.js";

/** `all`: every entity whose newest archived line was not restored since. Else each id, of either kind or both. */
export function selectEntries(archive: Archive, ids: readonly string[], all: boolean, archiveShown: string): ArchiveEntry[] {
  if (all) {
    const entries = ENTITY_KINDS.flatMap((kind) => [...archive.entries[kind].values()].filter((e) => !e.restored));
    if (archive.lines === 0)
      fail("restore.no-archive", `${archiveShown} holds nothing: decom has archived no document there, so nothing can be restored`);
    return sortEntries(entries);
  }
  const wanted = [...new Set(ids)];
  const unknown = wanted.filter((id) => ENTITY_KINDS.every((kind) => !archive.entries[kind].has(id)));
  if (unknown.length > 0) {
    const them = unknown.length === 1 ? "it" : "them";
    const shown = unknown.slice(0, 5).map(quoted).join(", ") + (unknown.length > 5 ? ` and ${count(unknown.length - 5, "more id")}` : "");
    fail(
      "restore.unknown-id",
      `${shown} ${unknown.length === 1 ? "is" : "are"} not in ${archiveShown}: ` +
        `decom archived no document of ${them}, so it cannot restore ${them}`,
    );
  }
  return sortEntries(ENTITY_KINDS.flatMap((kind) => wanted.flatMap((id) => archive.entries[kind].get(id) ?? [])));
}

function sortEntries(entries: ArchiveEntry[]): ArchiveEntry[] {
  return entries.sort((a, b) => (a.kind === b.kind ? compareStrings(a.id, b.id) : a.kind === "resourceType" ? -1 : 1));
}

/** One error per entry the manifest names by `- id:`, with its position; thrown together, so none is restored. */
export function refuseManaged(entries: readonly ArchiveEntry[], manifest: Manifest): void {
  const explicit = new Set(manifest.resources.map((e) => e.id));
  const types = new Set(manifest.resourceTypes.map((e) => e.id));
  const named = entries.filter((e) => (e.kind === "resource" ? explicit.has(e.id) : types.has(e.id)));
  if (named.length === 0) return;
  const positions = manifest.positions?.explicitResources(named.filter((e) => e.kind === "resource").map((e) => e.id));
  const problems = named.map((e) => {
    const at = e.kind === "resource" ? positions?.get(e.id) : manifest.positions?.resourceType(e.id);
    return error(
      "restore.in-manifest",
      `${e.kind} ${quoted(e.id)} is named by the manifest: the next apply would delete it again; ` +
        `take its entry out of ${manifest.path} first`,
      at ? { source: { file: manifest.path, ...at } } : {},
    );
  });
  problems.sort((a, b) => (a.source?.line ?? 0) - (b.source?.line ?? 0));
  throw new DecomError(problems);
}

/**
 * Resources deleted for a selector the manifest still holds: it may match them
 * again once they exist. Any other selector may match a restored resource too
 * (its document says, but decom does not evaluate selectors locally): said once.
 */
export function selectorWarnings(entries: readonly ArchiveEntry[], manifest: Manifest, state: State | null): Diagnostic[] {
  const selectorIndex = new Map(manifest.selectors.map((s, i) => [s.entry, i]));
  const warnings: Diagnostic[] = [];
  const resources = entries.filter((e) => e.kind === "resource");
  if (manifest.selectors.length > 0 && resources.length > 0) {
    const at: ManifestPosition | undefined = manifest.positions?.selector(0);
    warnings.push(
      warning(
        "restore.selectors",
        `${manifest.path} selects resources by selector: one that matches a restored resource deletes it again at the next apply; ` +
          "run decom plan after restoring to see",
        at ? { source: { file: manifest.path, ...at } } : {},
      ),
    );
  }
  if (state === null) return warnings;
  for (const e of resources) {
    const entry = state.resource.get(e.id)?.entry;
    if (entry === undefined || !isSelectorEntry(entry)) continue;
    const index = selectorIndex.get(entry);
    if (index === undefined) continue;
    const at: ManifestPosition | undefined = manifest.positions?.selector(index);
    warnings.push(
      warning(
        "restore.selector",
        `resource ${quoted(e.id)} was deleted for this selector, which may match it again once it is restored: ` +
          "the next apply would delete it again",
        at ? { source: { file: manifest.path, ...at } } : {},
      ),
    );
  }
  return warnings;
}
