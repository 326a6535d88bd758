/**
 * GET listings as the contract describes them: exact-match filters, `skip` /
 * `limit` paging with `total` (and the X-Count header), `fields` projection.
 */
import { parseQuery, QueryError } from "./query.js";
import { compareIds, type EmulatedEntity } from "./tenant.js";

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
 * an index can narrow the candidates (ids, a type, a parentId:in query), it
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
  const ids = params.getAll("id");
  const indexed = ids.length > 0 ? ids : index && indexedCandidates(params, index);
  const candidates = indexed
    ? [...new Set(indexed)].sort(compareIds).flatMap((id) => all.get(id) ?? [])
    : sortedIds().map((id) => all.get(id) as EmulatedEntity);
  const tags = params.getAll("tag");
  const exact = (["resourceTypeId", "customer", "provider"] as const).filter((key) => params.has(key));
  const toplevelOnly = params.get("toplevelOnly") === "true";
  let query: ((entity: EmulatedEntity) => boolean) | undefined;
  try {
    query = params.has("query") ? parseQuery(params.get("query") ?? "") : undefined;
  } catch (err) {
    if (err instanceof QueryError) throw new ListingError(`invalid 'query': ${err.message}`);
    throw err;
  }
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

/** Candidates from an index, when the query starts with an indexed attribute; filters still apply after. */
function indexedCandidates(params: URLSearchParams, index: AttributeIndex): string[] | undefined {
  const type = params.get("resourceTypeId");
  if (type !== null) return index("resourceTypeId", [type]);
  const first = /^(parentId|resourceTypeId):(eq|in)\(([^)]*)\)/.exec(params.get("query")?.trim() ?? "");
  if (!first) return undefined;
  return index(first[1] as "parentId" | "resourceTypeId", (first[3] ?? "").split(","));
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
