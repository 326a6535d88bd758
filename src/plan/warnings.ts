/**
 * What is worth saying about a plan without blocking it, as facts: the views
 * word them (views/plan-warnings.ts). Pure. Not saved in the plan: they are
 * said when the plan is made, where it is reviewed.
 */
import { EXPLICIT_ENTRY, type Manifest, type ManifestPosition } from "../manifest/model.js";
import type { EntityKind } from "../state/model.js";
import { SAMPLE_SIZE, type Change } from "./model.js";

export interface NotFoundId {
  kind: EntityKind;
  id: string;
  /** Its entry in the manifest; absent for a manifest built in memory. */
  source?: ManifestPosition;
}

export type PlanWarning =
  /**
   * Ids the manifest names explicitly that are not on the tenant and that the
   * state has no record of (a typo?): planned `absent`, as any id not found.
   * The first SAMPLE_SIZE in manifest order, and how many in all.
   */
  | { code: "not-found"; manifest: string; ids: NotFoundId[]; count: number }
  /** The manifest sets no guard.maxDeletes: nothing limits how many deletions one plan may make. */
  | { code: "no-guard"; manifest: string };

export function planWarnings(changes: readonly Change[], manifest: Manifest): PlanWarning[] {
  const notFound = notFoundWarning(changes, manifest);
  return [...(notFound ? [notFound] : []), ...guardWarnings(manifest)];
}

/** What can be said of the manifest alone, with neither tenant nor state (`decom validate` says it too). */
export function guardWarnings(manifest: Manifest): PlanWarning[] {
  return manifest.guard.maxDeletes === undefined ? [{ code: "no-guard", manifest: manifest.path }] : [];
}

/**
 * The planner plans `not-found` only for an id with no state record (plan/diff.ts),
 * so an id decom deleted, found absent or saw fail is never said to be a typo.
 * A selector's ids exist when matched: only an explicit entry can name one never seen.
 */
function notFoundWarning(changes: readonly Change[], manifest: Manifest): PlanWarning | undefined {
  const ids = { resource: new Set<string>(), resourceType: new Set<string>() };
  for (const c of changes) if (c.reason.code === "not-found" && c.entry === EXPLICIT_ENTRY) ids[c.kind].add(c.id);
  const count = ids.resource.size + ids.resourceType.size;
  if (count === 0) return undefined;
  // The first few of each kind in file order; their positions then put the two lists in one order.
  const firstOf = (kind: EntityKind, entries: readonly { id: string }[]) =>
    entries
      .filter((e) => ids[kind].has(e.id))
      .slice(0, SAMPLE_SIZE)
      .map((e) => e.id);
  const resources = firstOf("resource", manifest.resources);
  const types = firstOf("resourceType", manifest.resourceTypes);
  const positions = manifest.positions;
  const resourceAt = positions?.explicitResources(resources);
  const sample: NotFoundId[] = [
    ...resources.map((id) => located("resource", id, resourceAt?.get(id))),
    ...types.map((id) => located("resourceType", id, positions?.resourceType(id))),
  ];
  // Without positions, resources then types, each in manifest order.
  if (positions) sample.sort((a, b) => (a.source?.line ?? 0) - (b.source?.line ?? 0));
  return { code: "not-found", manifest: manifest.path, ids: sample.slice(0, SAMPLE_SIZE), count };
}

function located(kind: EntityKind, id: string, source: ManifestPosition | undefined): NotFoundId {
  return source ? { kind, id, source } : { kind, id };
}
