/**
 * Finds what still depends on the deletion set from outside it: children whose
 * parent would be deleted, and resources whose type would be. One counting
 * request per chunk of up to 250 ids (`parentId:in(...)`, `resourceTypeId:in(...)`,
 * compared with how many of those dependents the plan itself deletes); the
 * dependents are listed only for a chunk whose count shows some outside the plan.
 *
 * For children there is a cheaper way on tenants where few resources have a
 * parent at all: one count of `parentId:exists()`; when listing those resources
 * takes fewer requests than the chunked counts, decom lists them and checks
 * locally (and with none, it is done). Either way the cost stays bounded by the
 * size of the deletion set.
 */
import { mapConcurrent } from "../async/map-concurrent.js";
import type { WaylayApi } from "../waylay/client.js";
import { chunkIdsForQuery } from "../waylay/id-chunks.js";
import type { ResourceFacts } from "../waylay/wire.js";
import { SAMPLE_SIZE, type Change, type LiveFacts, type OutsideDependents } from "./model.js";
import { compareStrings } from "../text/compare.js";
import { DEFAULT_LIST_PAGE_SIZE, DEFAULT_MAX_QUERY_LENGTH } from "../waylay/client.js";

/** Ids that can go inside `in(...)` unquoted; others are checked one by one. */
const QUERYABLE = /^[^\s,()]+$/;
/** A count needs no page of ids back, so a check can cover more ids than a lookup: up to the URL budget. */
const IDS_PER_CHECK = 250;
const CHECK_QUERY_LENGTH = DEFAULT_MAX_QUERY_LENGTH;
/** The page size the client asks for when listing by query. */
const LIST_PAGE = DEFAULT_LIST_PAGE_SIZE;

type Relation = "parentId" | "resourceTypeId";

export async function gatherOutsideDependents(changes: readonly Change[], live: LiveFacts, api: WaylayApi): Promise<OutsideDependents> {
  const deletedResources = new Set(changes.filter((c) => c.kind === "resource" && c.action === "delete").map((c) => c.id));
  const deletedTypes = changes.filter((c) => c.kind === "resourceType" && c.action === "delete").map((c) => c.id);
  const insidePlan = (relation: Relation) => {
    const count = new Map<string, number>();
    for (const id of deletedResources) {
      const target = live.resources.get(id)?.[relation];
      if (target !== undefined) count.set(target, (count.get(target) ?? 0) + 1);
    }
    return count;
  };
  const [children, typeUsers] = await Promise.all([
    outside(api, "parentId", [...deletedResources].sort(compareStrings), insidePlan("parentId"), deletedResources),
    outside(api, "resourceTypeId", deletedTypes, insidePlan("resourceTypeId"), deletedResources),
  ]);
  return { children, typeUsers };
}

async function outside(
  api: WaylayApi,
  relation: Relation,
  targets: readonly string[],
  inside: Map<string, number>,
  deleted: Set<string>,
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
  const queryable = targets.filter((id) => QUERYABLE.test(id));
  const oneByOne = targets.filter((id) => !QUERYABLE.test(id));
  const chunks = chunkIdsForQuery(queryable, IDS_PER_CHECK, CHECK_QUERY_LENGTH);

  if (relation === "parentId" && chunks.length + oneByOne.length > 1) {
    // The parentheses are the operation: a bare `parentId:exists` is an equality
    // that counts resources whose parent is named "exists" (usually none).
    const everyChild = { query: "parentId:exists()" };
    const withParent = await api.countResources(everyChild);
    if (Math.ceil(withParent / LIST_PAGE) < chunks.length + oneByOne.length) {
      const targetSet = new Set(targets);
      if (withParent > 0) record((await api.listResources(everyChild)).filter((r) => r.parentId !== undefined && targetSet.has(r.parentId)));
      return summarize(found);
    }
  }

  await mapConcurrent(chunks, 8, async (chunk) => {
    const query = { query: `${relation}:in(${chunk.join(",")})` };
    const expected = chunk.reduce((n, id) => n + (inside.get(id) ?? 0), 0);
    if ((await api.countResources(query)) > expected) record(await api.listResources(query));
  });
  await mapConcurrent(oneByOne, 4, async (id) => {
    const expected = inside.get(id) ?? 0;
    if (relation === "parentId") {
      if ((await api.countChildren(id)) > expected) record(await api.listChildren(id));
    } else if ((await api.countResources({ resourceTypeId: id })) > expected) {
      record(await api.listResources({ resourceTypeId: id }));
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
