/**
 * What would make an apply fail or do harm, found before anything is sent
 * (spec §3): dependents outside the plan (children, users of a type, and
 * with `--check-referrers` resources that refer to one), protected ids and
 * types, and the guard on the number of deletions. Pure.
 *
 * `policyBlockers` (protect and guard) is also what `apply PLAN` re-checks
 * against the current manifest (plan/verify.ts): the same rule, not a copy.
 */
import { EXPLICIT_ENTRY, type Manifest, type ManifestPosition } from "../manifest/model.js";
import type { InFlightBatch } from "../state/model.js";
import { SAMPLE_SIZE, type Blocker, type Change, type OutsideDependents } from "./model.js";
import { compareStrings } from "../text/compare.js";

export function findBlockers(
  changes: readonly Change[],
  outside: OutsideDependents,
  manifest: Manifest,
  inFlight: readonly InFlightBatch[],
): Blocker[] {
  const blockers: Blocker[] = [...inFlightBlockers(changes, inFlight)];
  // The entry of each blocked resource; no map of every deletion when nothing is blocked (the usual case).
  const blocked = new Set([...outside.children.keys(), ...outside.referrers.keys()]);
  const entries = new Map<string, string>();
  if (blocked.size > 0)
    for (const c of changes) if (c.kind === "resource" && c.action === "delete" && blocked.has(c.id)) entries.set(c.id, c.entry);
  const where = sourceOf(manifest, blocked);
  for (const [id, sample] of sorted(outside.children)) {
    const source = where.resource(id, entries.get(id));
    blockers.push({ code: "children-outside-plan", kind: "resource", id, ids: sample.ids, count: sample.count, ...source });
  }
  for (const [id, sample] of sorted(outside.referrers)) {
    const source = where.resource(id, entries.get(id));
    blockers.push({ code: "referenced-outside-plan", kind: "resource", id, ids: sample.ids, count: sample.count, ...source });
  }
  for (const [id, sample] of sorted(outside.typeUsers)) {
    blockers.push({ code: "type-in-use", kind: "resourceType", id, ids: sample.ids, count: sample.count, ...where.resourceType(id) });
  }
  blockers.push(...policyBlockers(changes, manifest));
  return blockers;
}

/**
 * protect and guard.maxDeletes. At plan time an explicit entry naming a
 * protected id was already refused when the manifest loaded, so only a
 * selector can bring one in; a saved plan may have been edited to hold anything.
 */
export function policyBlockers(changes: readonly Change[], manifest: Manifest): Blocker[] {
  const blockers: Blocker[] = [];
  const protectedIds = { resource: new Set(manifest.protect.resources), resourceType: new Set(manifest.protect.resourceTypes) };
  const where = sourceOf(manifest, protectedIds.resource);
  let deletes = 0;
  for (const c of changes) {
    if (c.action !== "delete") continue;
    deletes++;
    if (!protectedIds[c.kind].has(c.id)) continue;
    blockers.push(
      c.kind === "resource"
        ? { code: "protected-resource", kind: "resource", id: c.id, entry: c.entry, ...where.resource(c.id, c.entry) }
        : { code: "protected-resource-type", kind: "resourceType", id: c.id, entry: c.entry, ...where.protectedType(c.id) },
    );
  }
  const limit = manifest.guard.maxDeletes;
  if (limit !== undefined && deletes > limit) blockers.push({ code: "max-deletes", deletes, limit, ...where.maxDeletes() });
  return blockers;
}

/**
 * A batch of an earlier apply still in flight (it could not be followed to its
 * end, or the service does not know it and its ids are still changing) may
 * still delete its ids: none of them may be submitted again until it is settled.
 */
export function inFlightBlockers(changes: readonly Change[], inFlight: readonly InFlightBatch[]): Blocker[] {
  const blockers: Blocker[] = [];
  for (const batch of inFlight) {
    const ids = changes.filter((c) => c.action === "delete" && c.kind === batch.kind && batch.ids.has(c.id)).map((c) => c.id);
    if (ids.length === 0) continue;
    blockers.push({
      code: "in-flight",
      kind: batch.kind,
      ...(batch.batchId !== undefined ? { batchId: batch.batchId } : {}),
      count: ids.length,
      ids: ids.slice(0, SAMPLE_SIZE),
    });
  }
  return blockers;
}

/**
 * `{ source }` for a blocker, or `{}`: a resource's entry (its `- id:` or the
 * selector that matched it), a type's entry (or, for a protected type, its
 * protect line), and guard.maxDeletes. The `- id:` entries of `resourceIds`
 * are looked up together, on first need, in one pass over the manifest.
 */
function sourceOf(manifest: Manifest, resourceIds: Iterable<string>) {
  const positions = manifest.positions;
  const selectorIndex = new Map(manifest.selectors.map((s, i) => [s.entry, i]));
  let explicit: Map<string, ManifestPosition> | undefined;
  const found = (position: ManifestPosition | undefined) => (position ? { source: position } : {});
  return {
    resource(id: string, entry: string | undefined) {
      if (!positions || entry === undefined) return {};
      if (entry === EXPLICIT_ENTRY) return found((explicit ??= positions.explicitResources(resourceIds)).get(id));
      const index = selectorIndex.get(entry);
      return index === undefined ? {} : found(positions.selector(index));
    },
    resourceType: (id: string) => found(positions?.resourceType(id)),
    protectedType: (id: string) => found(positions?.resourceType(id) ?? positions?.protectedId("resourceType", id)),
    maxDeletes: () => found(positions?.maxDeletes()),
  };
}

function sorted<V>(map: Map<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => compareStrings(a, b));
}
