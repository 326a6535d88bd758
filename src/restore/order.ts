/**
 * What restore sends, and in which order. The service refuses a resource whose
 * type or parent does not exist, so types are created first, then resources
 * level by level: a parent in the set before its children. The body is the
 * archived document less what the contract's answers carry and the service
 * alone sets.
 */
import type { ArchivedDocument } from "../archive/model.js";
import type { EntityKind } from "../state/model.js";
import { compareStrings } from "../text/compare.js";

/**
 * Fields of a listing's answer that a create body must not carry: `_links` (HAL
 * answers), and a type's `$bulkOperation` (ResourceTypeWithIdEntity, "an
 * asynchronous operation is busy"). A type's `$constraints` is sent as the ids
 * the create body takes, not as the ConstraintStatus objects the listing gives.
 */
const SERVER_MANAGED: Record<EntityKind, readonly string[]> = {
  resource: ["_links"],
  resourceType: ["_links", "$bulkOperation"],
};

/** A new object; the archived document is left as it is. Keys are copied as data, `__proto__` included. */
export function createBody(kind: EntityKind, document: ArchivedDocument): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    if (SERVER_MANAGED[kind].includes(key)) continue;
    Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (kind === "resourceType" && Array.isArray(document.$constraints)) {
    body.$constraints = document.$constraints.map((c: unknown) =>
      c !== null && typeof c === "object" && typeof (c as { constraintId?: unknown }).constraintId === "string"
        ? (c as { constraintId: string }).constraintId
        : c,
    );
  }
  return body;
}

export interface RestoreLevels {
  /** By id. */
  resourceTypes: string[];
  /** Level 0: resources whose parent is not in the set; level n + 1: children of level n. Each by id. */
  resources: string[][];
}

/**
 * Resource levels from each document's `parentId`. Resources in a parent cycle
 * (only a hand-edited archive has one), and their descendants, come last,
 * where the service refuses them for want of a parent.
 */
export function restoreLevels(
  resourceTypes: readonly { id: string }[],
  resources: readonly { id: string; parentId?: unknown }[],
): RestoreLevels {
  const parentOf = new Map<string, string | undefined>();
  for (const r of resources) parentOf.set(r.id, typeof r.parentId === "string" ? r.parentId : undefined);
  const depth = new Map<string, number>();
  const cyclic = new Set<string>();
  for (const start of parentOf.keys()) {
    // Up the chain until a parent outside the set, one already placed, or a repeat (a cycle).
    const chain: string[] = [];
    const onChain = new Set<string>();
    let id: string | undefined = start;
    let base = -1;
    while (id !== undefined && parentOf.has(id) && !depth.has(id) && !cyclic.has(id)) {
      if (onChain.has(id)) break;
      chain.push(id);
      onChain.add(id);
      id = parentOf.get(id);
    }
    const stuck = id !== undefined && (onChain.has(id) || cyclic.has(id));
    if (!stuck && id !== undefined && depth.has(id)) base = depth.get(id)!;
    for (let i = chain.length - 1; i >= 0; i--) {
      if (stuck) cyclic.add(chain[i]!);
      else depth.set(chain[i]!, base + (chain.length - i));
    }
  }
  const levels: string[][] = [];
  for (const [id, level] of depth) (levels[level] ??= []).push(id);
  const sorted = levels.map((level) => level.sort(compareStrings));
  if (cyclic.size > 0) sorted.push([...cyclic].sort(compareStrings));
  return { resourceTypes: resourceTypes.map((t) => t.id).sort(compareStrings), resources: sorted };
}
