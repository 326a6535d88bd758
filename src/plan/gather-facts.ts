/**
 * Asks the tenant about exactly the ids the manifest names, in bulk: the request
 * count grows with the manifest (ceil(ids / ids per lookup)), not the tenant.
 */
import type { Manifest } from "../manifest/model.js";
import type { WaylayApi } from "../waylay/client.js";
import type { LiveFacts } from "./model.js";

export async function gatherLiveFacts(manifest: Manifest, api: WaylayApi): Promise<LiveFacts> {
  const [resources, resourceTypes] = await Promise.all([
    api.findResources(manifest.resources.map((r) => r.id)),
    api.findResourceTypes(manifest.resourceTypes.map((t) => t.id)),
  ]);
  return {
    resources: new Map(resources.map((r) => [r.id, r])),
    resourceTypes: new Set(resourceTypes),
  };
}
