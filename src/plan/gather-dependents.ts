/**
 * Finds what still depends on the deletion set from outside it: children whose
 * parent would be deleted, and resources whose type would be. One counting
 * request per chunk of ids (`parentId:in(...)`, `resourceTypeId:in(...)`,
 * compared with how many of those dependents the plan itself deletes); the
 * dependents are listed only for a chunk whose count shows some outside the plan.
 *
 * For children there is a cheaper way on tenants where few resources have a
 * parent at all: one count of `parentId:exists()`; when listing those resources
 * takes fewer requests than the chunked counts, decom lists them and checks
 * locally (and with none, it is done). Either way the cost stays bounded by the
 * size of the deletion set. The request counts come from waylay/listing-cost.ts,
 * beside the client whose limits they model.
 *
 * Referrers (resources whose metadata holds a `$ref` to one being deleted) have
 * no bulk query: the beta referrers listing answers for one resource at a time,
 * so they are asked only when `referrers` is given (`--check-referrers`), one
 * request per deleted resource (more only past a page of referrers), a few at once.
 */
import { mapConcurrent } from "../async/map-concurrent.js";
import type { WaylayApi } from "../waylay/client.js";
import { countingChecks, countingRequests, IDS_PER_CHECK, listingRequests } from "../waylay/listing-cost.js";
import type { ResourceFacts } from "../waylay/wire.js";
import { SAMPLE_SIZE, type Change, type OutsideDependents } from "./model.js";
import { compareStrings } from "../text/compare.js";

type Relation = "parentId" | "resourceTypeId";
const RELATIONS: readonly Relation[] = ["parentId", "resourceTypeId"];

/** Whether the plan deletes a resource. */
interface DeletionSet {
  has(id: string): boolean;
}

/** Asking each deleted resource's referrers, this many at once. */
export interface ReferrersCheck {
  concurrency: number;
}

/**
 * Every resource with a parent: what the children check counts, and lists when that is cheaper than counting. The
 * parentheses are the operation: a bare `parentId:exists` is an equality that counts resources whose parent is named
 * "exists" (usually none).
 */
const EVERY_CHILD = { query: "parentId:exists()" };

/**
 * The children check's requests, started while the lookups are still coming
 * in, once what they have found shows the check will make them: the count of
 * resources with a parent once more than one counting request would be needed,
 * the listing of them once it takes fewer requests than the counting would. The
 * resources found are all deleted (a plan without --target deletes every
 * resource it names or matches that exists), so the check, when it runs, makes
 * exactly these requests; they are only made sooner, while a lookup is still
 * out (waiting out a 429, say), instead of one round trip after the last one.
 */
export class EarlyChildrenCheck {
  private readonly found = new Set<string>();
  private count: number | undefined;
  /** How many resources have a parent, if asked already. */
  withParent: Promise<number> | undefined;
  /** Every resource with a parent, if listing them is already known to be the cheaper check. */
  everyChild: Promise<ResourceFacts[]> | undefined;

  constructor(private readonly api: WaylayApi) {}

  /** Ids the lookups found: resources the plan deletes. */
  add(ids: readonly string[]): void {
    for (const id of ids) this.found.add(id);
    if (this.withParent === undefined && this.countingAtLeast() > 1) {
      const asked = this.api.countResources(EVERY_CHILD);
      this.withParent = asked;
      asked.then(
        (count) => {
          this.count = count;
          this.consider();
        },
        // Seen by the check, which awaits it.
        () => {},
      );
    } else this.consider();
  }

  /** The counting requests the check would make at the least, whatever else is found (one per IDS_PER_CHECK ids, or more). */
  private countingAtLeast(): number {
    return Math.ceil(this.found.size / IDS_PER_CHECK);
  }

  private consider(): void {
    if (this.everyChild !== undefined || this.count === undefined || this.count === 0) return;
    if (listingRequests(this.count) >= this.countingAtLeast()) return;
    this.everyChild = this.api.listResources(EVERY_CHILD, this.count);
    this.everyChild.catch(() => {});
  }
}

export async function gatherOutsideDependents(
  changes: readonly Change[],
  api: WaylayApi,
  referrers?: ReferrersCheck,
  early?: EarlyChildrenCheck,
): Promise<OutsideDependents> {
  const resources: string[] = [];
  // How many of each parent's children, and of each type's resources, the plan deletes: each deletion carries
  // its parent and type as the lookups found them (a million more look-ups in the facts cost a second).
  const inside = { parentId: new Map<string, number>(), resourceTypeId: new Map<string, number>() };
  for (const c of changes) {
    if (c.kind !== "resource" || c.action !== "delete") continue;
    resources.push(c.id);
    for (const relation of RELATIONS) {
      const target = c[relation];
      if (target !== undefined) inside[relation].set(target, (inside[relation].get(target) ?? 0) + 1);
    }
  }
  const deletedTypes = changes.filter((c) => c.kind === "resourceType" && c.action === "delete").map((c) => c.id);
  // Asked only once a dependent is found (none on a tenant without parents): a million-id set costs half a second.
  let deletedResources: Set<string> | undefined;
  const deleted = { has: (id: string) => (deletedResources ??= new Set(resources)).has(id) };
  const sortedResources = resources.sort(compareStrings);
  const [children, typeUsers, referring] = await Promise.all([
    outside(api, "parentId", sortedResources, inside.parentId, deleted, early),
    outside(api, "resourceTypeId", deletedTypes, inside.resourceTypeId, deleted),
    referrers
      ? outsideReferrers(api, sortedResources, deleted, referrers.concurrency)
      : ([new Map(), new Map()] as [Map<string, { ids: string[]; count: number }>, Map<string, string[]>]),
  ]);
  return { children, typeUsers, referrers: referring[0], referrersInPlan: referring[1] };
}

async function outsideReferrers(
  api: WaylayApi,
  targets: readonly string[],
  deleted: DeletionSet,
  concurrency: number,
): Promise<[Map<string, { ids: string[]; count: number }>, Map<string, string[]>]> {
  const found = new Map<string, ResourceFacts[]>();
  // Referrers the plan deletes too: not a blocker, but they must be deleted first (schedule.ts).
  const inPlan = new Map<string, string[]>();
  await mapConcurrent(targets, concurrency, async (id) => {
    const referrers = await api.listReferrers(id);
    const outsidePlan = referrers.filter((r) => !deleted.has(r.id));
    if (outsidePlan.length > 0) found.set(id, outsidePlan);
    const inside = referrers.filter((r) => deleted.has(r.id) && r.id !== id).map((r) => r.id);
    if (inside.length > 0) inPlan.set(id, inside);
  });
  return [summarize(found), inPlan];
}

async function outside(
  api: WaylayApi,
  relation: Relation,
  targets: readonly string[],
  inside: Map<string, number>,
  deleted: DeletionSet,
  early?: EarlyChildrenCheck,
): Promise<Map<string, { ids: string[]; count: number }>> {
  const found = new Map<string, ResourceFacts[]>();
  const record = (dependents: ResourceFacts[]) => {
    for (const d of dependents) {
      const target = d[relation];
      if (target === undefined || deleted.has(d.id)) continue;
      let list = found.get(target);
      if (!list) found.set(target, (list = []));
      list.push(d);
    }
  };
  const checks = countingChecks(targets);
  const { chunks, oneByOne } = checks;

  if (relation === "parentId" && countingRequests(checks) > 1) {
    const withParent = await (early?.withParent ?? api.countResources(EVERY_CHILD));
    if (listingRequests(withParent) < countingRequests(checks)) {
      if (withParent > 0) {
        const targetSet = new Set(targets);
        record(
          (await (early?.everyChild ?? api.listResources(EVERY_CHILD, withParent))).filter(
            (r) => r.parentId !== undefined && targetSet.has(r.parentId),
          ),
        );
      }
      return summarize(found);
    }
  }

  await mapConcurrent(chunks, 8, async (chunk) => {
    const query = { query: `${relation}:in(${chunk.join(",")})` };
    const expected = chunk.reduce((n, id) => n + (inside.get(id) ?? 0), 0);
    const count = await api.countResources(query);
    if (count > expected) record(await api.listResources(query, count));
  });
  await mapConcurrent(oneByOne, 4, async (id) => {
    const expected = inside.get(id) ?? 0;
    if (relation === "parentId") {
      if ((await api.countChildren(id)) > expected) record(await api.listChildren(id));
    } else {
      const count = await api.countResources({ resourceTypeId: id });
      if (count > expected) record(await api.listResources({ resourceTypeId: id }, count));
    }
  });

  return summarize(found);
}

function summarize(found: Map<string, ResourceFacts[]>): Map<string, { ids: string[]; count: number }> {
  const out = new Map<string, { ids: string[]; count: number }>();
  for (const [target, dependents] of found) {
    const ids = dependents.map((d) => d.id).sort(compareStrings);
    out.set(target, { ids: ids.slice(0, SAMPLE_SIZE), count: ids.length });
  }
  return out;
}
