/**
 * Splits ids into lookups that fit one listing request: at most `maxIds` ids,
 * and a query string short enough for gateways that cap URL length.
 */
export function chunkIdsForQuery(ids: readonly string[], maxIds: number, maxQueryLength: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const id of ids) {
    const cost = "&id=".length + encodeURIComponent(id).length;
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
