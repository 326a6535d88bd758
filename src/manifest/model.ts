/** The manifest after validation: what must no longer exist, with every default applied. */

import { compareStrings } from "../text/compare.js";
import { CASCADE_OPTIONS, resourceQueryPairs, type CascadeOption, type ResourceQuery } from "../waylay/wire.js";

export { CASCADE_OPTIONS, type CascadeOption } from "../waylay/wire.js";

/** How a state record or plan change names an explicit manifest entry. */
export const EXPLICIT_ENTRY = "id";

export interface IdEntry {
  id: string;
  /** Effective cascade set (entry, else defaults, else none), in canonical order. */
  cascade: CascadeOption[];
}

/** Exact-match fields of the resource listing, combined with AND: a selector is the listing's query. */
export type Selector = ResourceQuery;

export interface SelectorEntry {
  selector: Selector;
  /** The selector's canonical form: how plans and state name this entry. */
  entry: string;
  cascade: CascadeOption[];
}

export interface ResourceTypeEntry {
  id: string;
}

export interface Manifest {
  /** As given on the command line; used in messages. */
  path: string;
  /** sha256 of the file's bytes; a saved plan records it. */
  sha256: string;
  /** Explicit `- id:` entries, in manifest order. */
  resources: IdEntry[];
  /** `- select:` entries, in manifest order. */
  selectors: SelectorEntry[];
  resourceTypes: ResourceTypeEntry[];
  protect: { resources: string[]; resourceTypes: string[] };
  guard: { maxDeletes?: number };
  /** Where entries are written, for messages about them; absent for a manifest built in memory. */
  positions?: ManifestPositions;
}

/** A line and column (1-based) in the manifest. */
export interface ManifestPosition {
  line: number;
  column: number;
}

/** Where the manifest writes each entry; undefined when it does not hold it. */
export interface ManifestPositions {
  /** The `- id:` entries of these ids (those the manifest names explicitly), looked up in one pass in file order. */
  explicitResources(ids: Iterable<string>): Map<string, ManifestPosition>;
  /** The selector `Manifest.selectors[index]`. */
  selector(index: number): ManifestPosition | undefined;
  resourceType(id: string): ManifestPosition | undefined;
  protectedId(kind: "resource" | "resourceType", id: string): ManifestPosition | undefined;
  maxDeletes(): ManifestPosition | undefined;
}

const cascadeSets = new Map<string, CascadeOption[]>();

/**
 * Sorted and de-duplicated, so `[tasks, alarms]` and `[alarms, tasks]` are one
 * cascade set. Each set is one shared, frozen array: a million entries with the
 * default cascade hold one array between them, not a million.
 */
export function canonicalCascade(values: readonly string[]): CascadeOption[] {
  const set = CASCADE_OPTIONS.filter((option) => values.includes(option));
  const key = set.join(",");
  let shared = cascadeSets.get(key);
  if (!shared) cascadeSets.set(key, (shared = Object.freeze(set) as CascadeOption[]));
  return shared;
}

/**
 * `select?customer=acme&resourceTypeId=legacy-thermostat&tag=retired`: the
 * listing query the selector sends, keys and tags sorted. Two selectors that
 * match the same resources by the same fields have the same canonical form,
 * however the manifest orders them.
 */
export function canonicalSelector(selector: Selector): string {
  const pairs = resourceQueryPairs(selector).sort(([keyA, a], [keyB, b]) => compareStrings(keyA, keyB) || compareStrings(a, b));
  return `select?${new URLSearchParams(pairs)}`;
}

export function isSelectorEntry(entry: string): boolean {
  return entry.startsWith("select?");
}
