/**
 * Ids are tenant data: "__proto__", "constructor" or "hasOwnProperty" are ids
 * like any other. In memory they key Maps; where a file or a journal record
 * needs a JSON object keyed by id, it is built here, with no prototype and
 * every id an own data property, so no id can be lost to an assignment.
 */
export function idRecord<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [id, value] of entries) Object.defineProperty(out, id, { value, enumerable: true, writable: true, configurable: true });
  return out;
}
