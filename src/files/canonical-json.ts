/**
 * Every file decom writes is reviewed in diffs, so its bytes must depend only on
 * its content: object keys sorted, 2-space indent, LF, one trailing newline.
 * Objects whose keys are already in order are used as they are (plans and
 * states are built that way), so a 100,000-id plan is not copied to be written.
 */

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const sorted = sortKeys(value[i]);
      if (sorted !== value[i]) (copy ??= value.slice())[i] = sorted;
    }
    return copy ?? value;
  }
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = (keys[i - 1] as string) < (keys[i] as string);
  let changed = !inOrder;
  const sortedValues = new Map<string, unknown>();
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    const sorted = v === undefined ? undefined : sortKeys(v);
    if (sorted !== v || v === undefined) changed = true;
    sortedValues.set(key, sorted);
  }
  if (!changed) return value;
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    const v = sortedValues.get(key);
    // defineProperty, not assignment: a key such as "__proto__" is data here.
    if (v !== undefined) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
