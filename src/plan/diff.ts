/**
 * The action table of the spec (§3): manifest × state × live facts → changes.
 * Pure; ids the manifest names are decided by what the tenant holds now and
 * what decom recorded before.
 */
import { isSelectorEntry, type Manifest } from "../manifest/model.js";
import type { EntityKind, State, StateRecord } from "../state/model.js";
import type { ResourceFacts, ResourceTypeFacts } from "../waylay/wire.js";
import { BARE_REASONS, type Change, type ChangeReason, type LiveFacts } from "./model.js";
import { compareChanges } from "./order.js";
import { wantedResources, wantedResourceTypes, type Naming } from "./wanted.js";

export function diffChanges(manifest: Manifest, state: State | null, live: LiveFacts): Change[] {
  const changes: Change[] = [];
  const selectorsNow = new Set(manifest.selectors.map((s) => s.entry));
  const kinds: [EntityKind, Map<string, Naming>, (id: string) => Facts | undefined][] = [
    ["resource", wantedResources(manifest, live), (id) => live.resources.get(id)],
    ["resourceType", wantedResourceTypes(manifest), (id) => live.resourceTypes.get(id)],
  ];
  for (const [kind, wanted, exists] of kinds) {
    const records = state?.[kind];
    for (const [id, naming] of wanted) {
      const change = decide(kind, id, naming, records?.get(id), exists(id));
      if (change) changes.push(change);
    }
    for (const [id, record] of records ?? []) {
      if (wanted.has(id)) continue;
      // A deleted resource no longer matches its selector; while the selector
      // stays in the manifest, the id stays converged rather than forgotten.
      if (isSelectorEntry(record.entry) && selectorsNow.has(record.entry)) continue;
      const reason = BARE_REASONS[isSelectorEntry(record.entry) ? "selector-removed" : "entry-removed"];
      changes.push({ action: "forget", entry: record.entry, id, kind, reason });
    }
  }
  return changes.sort(compareChanges);
}

type Facts = ResourceFacts | ResourceTypeFacts;

/** `facts`: what the tenant holds under the id now; undefined when it does not exist. */
function decide(
  kind: EntityKind,
  id: string,
  { entry, cascade }: Naming,
  record: StateRecord | undefined,
  facts: Facts | undefined,
): Change | undefined {
  if (facts) {
    const reason: ChangeReason = !record
      ? BARE_REASONS["in-manifest"]
      : record.status === "deleted"
        ? { code: "recreated", time: record.time }
        : record.status === "absent"
          ? { code: "created-since-absent", time: record.time }
          : {
              code: "retry-failed",
              ...(record.error !== undefined ? { error: record.error } : {}),
              ...(record.statusCode !== undefined ? { statusCode: record.statusCode } : {}),
            };
    // Keys in sorted order: the plan file is written without copying (see files/canonical-json.ts).
    const { name, parentId, resourceTypeId } = facts as ResourceFacts;
    return {
      action: "delete",
      ...(cascade ? { cascade } : {}),
      entry,
      id,
      kind,
      ...(name !== undefined ? { name } : {}),
      ...(parentId !== undefined ? { parentId } : {}),
      reason,
      ...(resourceTypeId !== undefined ? { resourceTypeId } : {}),
    };
  }
  if (!record) return { action: "absent", entry, id, kind, reason: BARE_REASONS["not-found"] };
  if (record.status === "failed") return { action: "absent", entry, id, kind, reason: BARE_REASONS["gone-since-failure"] };
  return undefined; // converged: deleted or absent before, and still gone
}
