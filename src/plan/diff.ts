/**
 * The action table of the spec (§3): manifest × state × live facts → changes.
 * Pure; ids the manifest names are decided by what the tenant holds now and
 * what decom recorded before.
 */
import { isSelectorEntry, type Manifest } from "../manifest/model.js";
import type { EntityKind, State, StateRecord } from "../state/model.js";
import type { Change, LiveFacts } from "./model.js";
import { compareChanges } from "./order.js";
import { wantedResources, wantedResourceTypes, type Wanted } from "./wanted.js";

export function diffChanges(manifest: Manifest, state: State | null, live: LiveFacts): Change[] {
  const changes: Change[] = [];
  const selectorsNow = new Set(manifest.selectors.map((s) => s.entry));
  const kinds: [EntityKind, Wanted[], (id: string) => boolean][] = [
    ["resource", wantedResources(manifest, live), (id) => live.resources.has(id)],
    ["resourceType", wantedResourceTypes(manifest), (id) => live.resourceTypes.has(id)],
  ];
  for (const [kind, wanted, exists] of kinds) {
    const records = state?.[kind] ?? new Map<string, StateRecord>();
    const named = new Set<string>();
    for (const item of wanted) {
      named.add(item.id);
      const change = decide(kind, item, records.get(item.id), exists(item.id));
      if (change) changes.push(change);
    }
    for (const [id, record] of records) {
      if (named.has(id)) continue;
      // A deleted resource no longer matches its selector; while the selector
      // stays in the manifest, the id stays converged rather than forgotten.
      if (isSelectorEntry(record.entry) && selectorsNow.has(record.entry)) continue;
      const reason = isSelectorEntry(record.entry) ? "its selector is no longer in the manifest" : "no longer in the manifest";
      changes.push({ action: "forget", entry: record.entry, id, kind, reason });
    }
  }
  return changes.sort(compareChanges);
}

function decide(kind: EntityKind, item: Wanted, record: StateRecord | undefined, exists: boolean): Change | undefined {
  const { id, entry } = item;
  if (exists) {
    const reason = !record
      ? "in the manifest"
      : record.status === "deleted"
        ? `recreated since last apply (deleted ${record.time})`
        : record.status === "absent"
          ? `created since last apply (absent at ${record.time})`
          : `retrying: last attempt failed (${record.statusCode !== undefined ? `${record.statusCode}: ` : ""}${record.error ?? "no error text"})`;
    // Keys in sorted order: the plan file is written without copying (see files/canonical-json.ts).
    return item.cascade ? { action: "delete", cascade: item.cascade, entry, id, kind, reason } : { action: "delete", entry, id, kind, reason };
  }
  if (!record) return { action: "absent", entry, id, kind, reason: "not found on the tenant" };
  if (record.status === "failed") return { action: "absent", entry, id, kind, reason: "gone since the failed attempt" };
  return undefined; // converged: deleted or absent before, and still gone
}
