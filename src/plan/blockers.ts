/**
 * What would make an apply fail or do harm, found before anything is sent
 * (spec §3): dependents outside the plan, protected ids and types, and the
 * guard on the number of deletions. Pure.
 */
import type { Manifest } from "../manifest/model.js";
import type { Blocker, Change, OutsideDependents } from "./model.js";
import { compareStrings } from "./order.js";

export function findBlockers(changes: readonly Change[], outside: OutsideDependents, manifest: Manifest): Blocker[] {
  const blockers: Blocker[] = [];
  const deletes = changes.filter((c) => c.action === "delete");

  for (const [id, sample] of sorted(outside.children)) {
    blockers.push({ code: "children-outside-plan", kind: "resource", id, ids: sample.ids, count: sample.count });
  }
  for (const [id, sample] of sorted(outside.typeUsers)) {
    blockers.push({ code: "type-in-use", kind: "resourceType", id, ids: sample.ids, count: sample.count });
  }

  // Explicit entries naming a protected id are refused when the manifest loads;
  // only a selector can bring one in, and only the live tenant says which.
  const protectedIds = new Set(manifest.protect.resources);
  for (const c of deletes) {
    if (c.kind === "resource" && protectedIds.has(c.id)) blockers.push({ code: "protected-resource", kind: "resource", id: c.id, entry: c.entry });
  }

  const limit = manifest.guard.maxDeletes;
  if (limit !== undefined && deletes.length > limit) blockers.push({ code: "max-deletes", deletes: deletes.length, limit });
  return blockers;
}

function sorted<V>(map: Map<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => compareStrings(a, b));
}
