/**
 * The Waylay metadata query language, as the contract describes it:
 * `<metadata key>:<operation>(<arguments>)`, terms separated by spaces and
 * combined with AND. Operations: eq, in, lt, lte, gt, gte, ref, exists, like.
 * A bare `<key>:<value>` is an equality with that value, whatever it spells:
 * `parentId:exists` asks for resources whose parent is named "exists".
 * Dotted keys reach into nested attributes (`address.city:eq(Ghent)`).
 */
import type { EmulatedEntity } from "./tenant.js";

export type EntityPredicate = (entity: EmulatedEntity) => boolean;

export class QueryError extends Error {}

export const OPERATIONS = ["eq", "in", "lt", "lte", "gt", "gte", "ref", "exists", "like"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** One term, parsed: the bare form arrives here as `eq` with one argument. */
export interface QueryTerm {
  key: string;
  operation: Operation;
  args: string[];
}

const TERM = /^([^:\s()]+):(.+)$/;
const CALL = /^(\w+)\(([^()]*)\)$/;

export function termsPredicate(terms: readonly QueryTerm[]): EntityPredicate {
  const predicates = terms.map(termPredicate);
  return (entity) => predicates.every((p) => p(entity));
}

/** The terms of a query, or a QueryError (the listing's 400) for anything the contract does not define. */
export function parseQueryTerms(query: string): QueryTerm[] {
  const terms = query
    .trim()
    .split(/\s+(?![^(]*\))/)
    .filter(Boolean);
  if (terms.length === 0) throw new QueryError("empty query");
  return terms.map(parseTerm);
}

function parseTerm(term: string): QueryTerm {
  const [, key, rest] = TERM.exec(term) ?? [];
  if (key === undefined || rest === undefined) throw malformed(term);
  const call = CALL.exec(rest);
  if (!call) {
    // Parentheses only ever wrap an operation's arguments: `eq(2.0`, `2.(0)`
    // are typos of the call form, not values, and guessing either way hides them.
    if (/[()]/.test(rest)) throw malformed(term);
    return { key, operation: "eq", args: [rest] };
  }
  const [, name = "", rawArgs = ""] = call;
  // An unknown name with parentheses (`firmware:below(2)`, `firmware:EQ(2)`) is
  // refused rather than read as an equality with the text "below(2)": that
  // reading would quietly match nothing, and a typo'd operation in a selector
  // would then plan nothing, or match what the real service answers differently.
  // The emulator is never more lenient than the contract, so it is a 400.
  if (!isOperation(name))
    throw new QueryError(`invalid query term '${term}': unknown operation '${name}' (the contract's are ${OPERATIONS.join(", ")})`);
  if (name === "exists") {
    if (rawArgs !== "") throw new QueryError(`invalid query term '${term}': exists takes no argument`);
    return { key, operation: name, args: [] };
  }
  if (rawArgs === "") throw new QueryError(`invalid query term '${term}': ${name} needs an argument`);
  if (name !== "in") return { key, operation: name, args: [rawArgs] };
  const args = rawArgs.split(",");
  if (args.includes("")) throw new QueryError(`invalid query term '${term}': in needs a value between each pair of commas`);
  return { key, operation: name, args };
}

function malformed(term: string): QueryError {
  return new QueryError(`invalid query term '${term}': expected <key>:<operation>(<arguments>) or <key>:<value>`);
}

function isOperation(name: string): name is Operation {
  return (OPERATIONS as readonly string[]).includes(name);
}

function termPredicate({ key, operation, args }: QueryTerm): EntityPredicate {
  if (operation === "exists") return (entity) => valueAt(entity, key) !== undefined;
  const test = comparison(operation, args);
  return (entity) => {
    const value = valueAt(entity, key);
    return (Array.isArray(value) ? value : [value]).some((v) => v !== undefined && v !== null && test(v));
  };
}

function comparison(op: Exclude<Operation, "exists">, args: string[]): (value: unknown) => boolean {
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
    // The contract says what ref's and like's arguments "should" be; other
    // arguments still have a plain meaning (no match; an exact match), so they pass.
    case "ref":
      return (v) => typeof v === "object" && v !== null && (v as { $ref?: unknown }).$ref === arg;
    case "like": {
      const pattern = new RegExp(
        `^${arg
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      );
      return (v) => pattern.test(String(v));
    }
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
