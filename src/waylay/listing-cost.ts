/**
 * What a dependency check costs in listing requests, under the client's limits
 * (its page size and URL budget). The planner asks this to choose between
 * counting dependents chunk by chunk and listing every resource that has a
 * parent; it lives here so a change to those limits changes the model with them.
 */
import { DEFAULT_LIST_PAGE_SIZE, DEFAULT_MAX_QUERY_LENGTH } from "./client.js";
import { chunkIdsForQuery } from "./id-chunks.js";

/** Ids that can go inside `in(...)` unquoted; others are checked one by one. */
const QUERYABLE = /^[^\s,()]+$/;
/** A count needs no page of ids back, so a check can cover more ids than a lookup: up to the URL budget. */
export const IDS_PER_CHECK = 250;

/** How a check by counting splits its targets: one count per chunk, and one per id that cannot go in a query. */
export interface CountingChecks {
  chunks: string[][];
  oneByOne: string[];
}

export function countingChecks(targets: readonly string[]): CountingChecks {
  const queryable = targets.filter((id) => QUERYABLE.test(id));
  return {
    chunks: chunkIdsForQuery(queryable, IDS_PER_CHECK, DEFAULT_MAX_QUERY_LENGTH),
    oneByOne: targets.filter((id) => !QUERYABLE.test(id)),
  };
}

/** Counting requests the checks take. */
export function countingRequests(checks: CountingChecks): number {
  return checks.chunks.length + checks.oneByOne.length;
}

/** Requests that list `matching` resources, a page at a time. */
export function listingRequests(matching: number): number {
  return Math.ceil(matching / DEFAULT_LIST_PAGE_SIZE);
}
