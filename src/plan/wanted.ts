/**
 * Which resources the manifest names now: explicit ids, then every id a
 * selector matched on the live tenant. An id named twice keeps its first
 * naming: explicit entries before selectors, selectors in manifest order.
 *
 * This module is the one statement of which entry names what with which
 * cascade: planning builds changes from `wantedResources`, and `apply PLAN`
 * checks a saved plan's changes against `manifestNaming` and
 * `wantedResources` (plan/verify.ts), so the two cannot drift apart.
 */
import { EXPLICIT_ENTRY, type CascadeOption, type Manifest } from "../manifest/model.js";
import type { LiveFacts } from "./model.js";

/**
 * The entry that names an id, with its cascade. One object per entry and
 * cascade set, shared by every id it names: a million explicit ids with the
 * same cascade hold one between them.
 */
export interface Naming {
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
  const resources = new Map<string, CascadeOption[]>();
  for (const r of manifest.resources) resources.set(r.id, r.cascade);
  return { resources, selectors: selectorNaming(manifest), resourceTypes: new Set(manifest.resourceTypes.map((t) => t.id)) };
}

function selectorNaming(manifest: Manifest): Map<string, CascadeOption[]> {
  return new Map(manifest.selectors.map((s) => [s.entry, s.cascade]));
}

/** The resources the manifest names, id → naming, in the order named (explicit ids, then each selector's matches). */
export function wantedResources(manifest: Manifest, live: LiveFacts): Map<string, Naming> {
  const wanted = new Map<string, Naming>();
  const explicit = new Map<CascadeOption[], Naming>();
  for (const { id, cascade } of manifest.resources) {
    let naming = explicit.get(cascade);
    if (!naming) explicit.set(cascade, (naming = { entry: EXPLICIT_ENTRY, cascade }));
    wanted.set(id, naming);
  }
  for (const [entry, cascade] of selectorNaming(manifest)) {
    const naming: Naming = { entry, cascade };
    for (const id of live.matches.get(entry) ?? []) {
      if (!wanted.has(id)) wanted.set(id, naming);
    }
  }
  return wanted;
}

const EXPLICIT_TYPE: Naming = Object.freeze({ entry: EXPLICIT_ENTRY });

/** The resource types the manifest names, id → naming, in manifest order. */
export function wantedResourceTypes(manifest: Manifest): Map<string, Naming> {
  return new Map(manifest.resourceTypes.map((t) => [t.id, EXPLICIT_TYPE]));
}
