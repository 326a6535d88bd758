/**
 * The Waylay metadata query language, as the contract describes it:
 * `<metadata key>:<operation>(<arguments>)`, terms separated by spaces and
 * combined with AND. Operations: eq, in, lt, lte, gt, gte, ref, exists, like.
 * Dotted keys reach into nested attributes (`address.city:eq(Ghent)`).
 */
import type { EmulatedEntity } from "./tenant.js";

export type EntityPredicate = (entity: EmulatedEntity) => boolean;

export class QueryError extends Error {}

const TERM = /^([^:\s()]+):(eq|in|lt|lte|gt|gte|ref|exists|like)(?:\(([^)]*)\))?$/;

export function parseQuery(query: string): EntityPredicate {
  const terms = query.trim().split(/\s+(?![^(]*\))/).filter(Boolean);
  if (terms.length === 0) throw new QueryError("empty query");
  const predicates = terms.map(parseTerm);
  return (entity) => predicates.every((p) => p(entity));
}

function parseTerm(term: string): EntityPredicate {
  const match = TERM.exec(term);
  if (!match) throw new QueryError(`invalid query term '${term}': expected <key>:<operation>(<arguments>)`);
  const [, key, op, rawArgs] = match as unknown as [string, string, string, string | undefined];
  if (op === "exists") {
    if (rawArgs) throw new QueryError(`'${term}': exists takes no argument`);
    return (entity) => valueAt(entity, key) !== undefined;
  }
  if (rawArgs === undefined) throw new QueryError(`'${term}': ${op} needs an argument in parentheses`);
  const args = op === "in" ? rawArgs.split(",") : [rawArgs];
  const test = comparison(op, args);
  return (entity) => {
    const value = valueAt(entity, key);
    return (Array.isArray(value) ? value : [value]).some((v) => v !== undefined && v !== null && test(v));
  };
}

function comparison(op: string, args: string[]): (value: unknown) => boolean {
  const arg = args[0] ?? "";
  switch (op) {
    case "eq":
      return (v) => String(v) === arg;
    case "in":
      return (v) => args.includes(String(v));
    case "lt":
      return (v) => compare(v, arg) < 0;
    case "lte":
      return (v) => compare(v, arg) <= 0;
    case "gt":
      return (v) => compare(v, arg) > 0;
    case "gte":
      return (v) => compare(v, arg) >= 0;
    case "ref":
      return (v) => typeof v === "object" && v !== null && (v as { $ref?: unknown }).$ref === arg;
    case "like": {
      const pattern = new RegExp(`^${arg.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
      return (v) => pattern.test(String(v));
    }
    default:
      throw new QueryError(`unknown operation ${op}`);
  }
}

/** Numbers compare as numbers, anything else as text. */
function compare(value: unknown, arg: string): number {
  const a = Number(value);
  const b = Number(arg);
  if (value !== "" && arg !== "" && Number.isFinite(a) && Number.isFinite(b)) return a - b;
  const text = String(value);
  return text < arg ? -1 : text > arg ? 1 : 0;
}

function valueAt(entity: EmulatedEntity, key: string): unknown {
  let current: unknown = entity;
  for (const part of key.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
