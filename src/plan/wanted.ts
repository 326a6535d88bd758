/**
 * Which resources the manifest names now: explicit ids, then every id a
 * selector matched on the live tenant. An id named twice keeps its first
 * naming: explicit entries before selectors, selectors in manifest order.
 *
 * `manifestNaming` is the one statement of which entry names what with which
 * cascade: planning builds changes from it, and `apply PLAN` checks a saved
 * plan's changes against it (plan/verify.ts), so the two cannot drift apart.
 */
import { EXPLICIT_ENTRY, type CascadeOption, type Manifest } from "../manifest/model.js";
import type { LiveFacts } from "./model.js";

export interface Wanted {
  id: string;
  entry: string;
  cascade?: CascadeOption[];
}

export interface ManifestNaming {
  /** Explicit `- id:` resource entries: id → cascade. */
  resources: Map<string, CascadeOption[]>;
  /** Selector entries (canonical form) → cascade, in manifest order. */
  selectors: Map<string, CascadeOption[]>;
  /** `resourceTypes:` ids. */
  resourceTypes: Set<string>;
}

export function manifestNaming(manifest: Manifest): ManifestNaming {
  return {
    resources: new Map(manifest.resources.map((r) => [r.id, r.cascade])),
    selectors: new Map(manifest.selectors.map((s) => [s.entry, s.cascade])),
    resourceTypes: new Set(manifest.resourceTypes.map((t) => t.id)),
  };
}

export function wantedResources(manifest: Manifest, live: LiveFacts): Wanted[] {
  const naming = manifestNaming(manifest);
  const wanted = new Map<string, Wanted>();
  for (const [id, cascade] of naming.resources) wanted.set(id, { id, entry: EXPLICIT_ENTRY, cascade });
  for (const [entry, cascade] of naming.selectors) {
    for (const id of live.matches.get(entry) ?? []) {
      if (!wanted.has(id)) wanted.set(id, { id, entry, cascade });
    }
  }
  return [...wanted.values()];
}

export function wantedResourceTypes(manifest: Manifest): Wanted[] {
  return [...manifestNaming(manifest).resourceTypes].map((id) => ({ id, entry: EXPLICIT_ENTRY }));
}
