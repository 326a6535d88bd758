/**
 * Asks the tenant about exactly what the manifest names, in bulk: explicit ids
 * through the listings' repeated `id` parameter, each selector through one
 * paged listing. The request count grows with the manifest, not the tenant.
 */
import { mapConcurrent } from "../async/map-concurrent.js";
import type { Manifest, SelectorEntry } from "../manifest/model.js";
import type { WaylayApi } from "../waylay/client.js";
import type { ResourceFacts } from "../waylay/wire.js";
import type { LiveFacts } from "./model.js";
import { compareStrings } from "../text/compare.js";

/** `onFound`: the ids of resources found (named and existing, or matched), as the answers come. */
export async function gatherLiveFacts(manifest: Manifest, api: WaylayApi, onFound?: (ids: readonly string[]) => void): Promise<LiveFacts> {
  const [resources, resourceTypes, selected] = await Promise.all([
    api.findResources(
      manifest.resources.map((r) => r.id),
      onFound,
    ),
    api.findResourceTypes(manifest.resourceTypes.map((t) => t.id)),
    matchSelectors(manifest.selectors, api, onFound),
  ]);
  // Filled by a loop, not from a list of [id, facts] pairs: a million ids would make a million pairs first.
  const facts: LiveFacts = { resources: new Map(), resourceTypes: new Map(), matches: new Map() };
  for (const r of resources) facts.resources.set(r.id, r);
  for (const t of resourceTypes) facts.resourceTypes.set(t.id, t);
  manifest.selectors.forEach((s, index) => {
    const matched = selected[index] ?? [];
    for (const r of matched) facts.resources.set(r.id, r);
    facts.matches.set(s.entry, matched.map((r) => r.id).sort(compareStrings));
  });
  return facts;
}

/** Selector listings started at once; their pages after the first share the client's limit on lookups. */
const SELECTORS_AT_ONCE = 8;

/** What each selector matches on the tenant now, in the selectors' order: one paged listing each. */
export function matchSelectors(
  selectors: readonly SelectorEntry[],
  api: WaylayApi,
  onFound?: (ids: readonly string[]) => void,
  /** How many each selector is expected to match (what a saved plan recorded): its pages are asked at once. */
  expected?: (entry: string) => number | undefined,
): Promise<ResourceFacts[][]> {
  return mapConcurrent(selectors, SELECTORS_AT_ONCE, async (s) => {
    const matched = await api.listResources(s.selector, expected?.(s.entry));
    onFound?.(matched.map((r) => r.id));
    return matched;
  });
}
