import { fail } from "../diagnostics.js";
import { whyNotUrlSafe } from "../text/url-safe.js";

/**
 * Splits ids into lookups that fit one listing request: at most `maxIds` ids,
 * and a query string short enough for gateways that cap URL length.
 */
export function chunkIdsForQuery(ids: readonly string[], maxIds: number, maxQueryLength: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const id of ids) {
    const cost = "&id=".length + encodeId(id).length;
    if (current.length > 0 && (current.length >= maxIds || length + cost > maxQueryLength)) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(id);
    length += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** An id as it goes in a URL. One from the tenant may have no URL form: it can then be neither checked nor deleted safely. */
export function encodeId(id: string): string {
  const why = whyNotUrlSafe(id);
  if (why !== undefined) fail("id.not-url-safe", `the id ${why}; decom cannot check or delete it safely`);
  return encodeURIComponent(id);
}
