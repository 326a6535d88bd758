/**
 * Which resources the manifest names now: explicit ids, then every id a
 * selector matched on the live tenant. An id named twice keeps its first
 * naming: explicit entries before selectors, selectors in manifest order.
 */
import { EXPLICIT_ENTRY, type CascadeOption, type Manifest } from "../manifest/model.js";
import type { LiveFacts } from "./model.js";

export interface Wanted {
  id: string;
  entry: string;
  cascade?: CascadeOption[];
}

export function wantedResources(manifest: Manifest, live: LiveFacts): Wanted[] {
  const wanted = new Map<string, Wanted>();
  for (const r of manifest.resources) wanted.set(r.id, { id: r.id, entry: EXPLICIT_ENTRY, cascade: r.cascade });
  for (const s of manifest.selectors) {
    for (const id of live.matches.get(s.entry) ?? []) {
      if (!wanted.has(id)) wanted.set(id, { id, entry: s.entry, cascade: s.cascade });
    }
  }
  return [...wanted.values()];
}

export function wantedResourceTypes(manifest: Manifest): Wanted[] {
  return manifest.resourceTypes.map((t) => ({ id: t.id, entry: EXPLICIT_ENTRY }));
}
