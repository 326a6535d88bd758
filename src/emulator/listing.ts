/**
 * GET listings as the contract describes them: exact-match filters, `skip` /
 * `limit` paging with `total` (and the X-Count header), `fields` projection.
 */
import { parseQueryTerms, QueryError, termsPredicate, type QueryTerm } from "./query.js";
import { compareStrings } from "../text/compare.js";
import type { EmulatedEntity } from "./tenant.js";

export interface Page {
  values: Record<string, unknown>[];
  skip: number;
  limit: number;
  total: number;
}

export class ListingError extends Error {}

/** Ids whose `parentId` or `resourceTypeId` is one of `values`, from the tenant's indexes. */
export type AttributeIndex = (key: "parentId" | "resourceTypeId", values: readonly string[]) => string[];

/**
 * Resources or resource types matching the listing's query parameters. Where
 * an index can narrow the candidates (ids, a type, a parentId or type query), it
 * does, so that large emulated tenants answer bulk checks without a full scan.
 */
export function selectEntities(
  params: URLSearchParams,
  all: Map<string, EmulatedEntity>,
  sortedIds: () => string[],
  index?: AttributeIndex,
): EmulatedEntity[] {
  for (const unsupported of ["filter", "lat", "lon", "distance", "sort", "order", "template"]) {
    if (params.has(unsupported)) throw new ListingError(`the emulator does not support the '${unsupported}' parameter yet`);
  }
  let terms: QueryTerm[] | undefined;
  try {
    terms = params.has("query") ? parseQueryTerms(params.get("query") ?? "") : undefined;
  } catch (err) {
    if (err instanceof QueryError) throw new ListingError(`invalid 'query': ${err.message}`);
    throw err;
  }
  const query = terms && termsPredicate(terms);
  const ids = params.getAll("id");
  const indexed = ids.length > 0 ? ids : index && indexedCandidates(params, terms ?? [], index);
  const candidates = indexed
    ? [...new Set(indexed)].sort(compareStrings).flatMap((id) => all.get(id) ?? [])
    : sortedIds().map((id) => all.get(id) as EmulatedEntity);
  const tags = params.getAll("tag");
  const exact = (["resourceTypeId", "customer", "provider"] as const).filter((key) => params.has(key));
  const toplevelOnly = params.get("toplevelOnly") === "true";
  return candidates.filter((entity) => {
    if (query && !query(entity)) return false;
    for (const key of exact) if (entity[key] !== params.get(key)) return false;
    if (tags.length > 0) {
      const own = Array.isArray(entity.tags) ? entity.tags : [];
      if (!tags.every((tag) => own.includes(tag))) return false;
    }
    if (toplevelOnly && typeof entity.parentId === "string") return false;
    return true;
  });
}

/**
 * Candidates from an index, when the listing pins an indexed attribute to
 * values: the resourceTypeId parameter, or an `eq`/`in` term on parentId or
 * resourceTypeId (the bare `key:value` included, which the parser has already
 * turned into `eq`). Terms are combined with AND, so any one of them narrows
 * the answer to a superset; the query and filters still apply after, so the
 * index can only save work, never change what matches.
 */
function indexedCandidates(params: URLSearchParams, terms: readonly QueryTerm[], index: AttributeIndex): string[] | undefined {
  const type = params.get("resourceTypeId");
  if (type !== null) return index("resourceTypeId", [type]);
  const pinned = terms.find((t) => (t.key === "parentId" || t.key === "resourceTypeId") && (t.operation === "eq" || t.operation === "in"));
  return pinned && index(pinned.key as "parentId" | "resourceTypeId", pinned.args);
}

export function page(entities: readonly EmulatedEntity[], params: URLSearchParams, maxPageSize: number): Page {
  const skip = nonNegativeInt(params.get("skip"), 0, "skip");
  const limit = Math.min(nonNegativeInt(params.get("limit"), 100, "limit"), maxPageSize);
  const fields = [...params.getAll("field"), ...(params.get("fields")?.split(",") ?? [])].filter(Boolean);
  const values = entities.slice(skip, skip + limit).map((entity) => project(entity, fields));
  return { values, skip, limit, total: entities.length };
}

function project(entity: EmulatedEntity, fields: readonly string[]): Record<string, unknown> {
  if (fields.length === 0) return { ...entity };
  const out: Record<string, unknown> = {};
  for (const field of fields) if (entity[field] !== undefined) out[field] = entity[field];
  return out;
}

function nonNegativeInt(raw: string | null, fallback: number, name: string): number {
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ListingError(`'${name}' must be a non-negative integer`);
  return value;
}
