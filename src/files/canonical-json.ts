/**
 * Every file decom writes is reviewed in diffs, so its bytes must depend only on
 * its content: object keys sorted, 2-space indent, LF, one trailing newline.
 * Objects whose keys are already in order are used as they are (plans and
 * states are built that way), so a 100,000-id plan is not copied to be written.
 */

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

/** The same content on one line, without the trailing newline: a line of an append-only log. */
export function canonicalJsonLine(value: unknown): string {
  return JSON.stringify(sortKeys(value));
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

/**
 * The same bytes as `canonicalJson`, in pieces of about `pieceSize` characters,
 * so a plan of a million ids is written without holding its whole text (and a
 * buffer copy of it) in memory. Long arrays are emitted element by element;
 * everything else goes through JSON.stringify.
 */
export function* canonicalJsonPieces(value: unknown, pieceSize = 1 << 20): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const part of emit(sortKeys(value), "")) {
    buffer.push(part);
    length += part.length;
    if (length >= pieceSize) {
      yield buffer.join("");
      buffer = [];
      length = 0;
    }
  }
  buffer.push("\n");
  yield buffer.join("");
}

const LONG_ARRAY = 256;

function* emit(value: unknown, indent: string): Generator<string> {
  if (!containsLongArray(value)) {
    yield JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    yield "[\n";
    for (let i = 0; i < value.length; i++) {
      yield inner;
      yield* emit(value[i] === undefined ? null : value[i], inner);
      yield i < value.length - 1 ? ",\n" : "\n";
    }
    yield `${indent}]`;
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  yield "{\n";
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i] as [string, unknown];
    yield `${inner}${JSON.stringify(key)}: `;
    yield* emit(v, inner);
    yield i < entries.length - 1 ? ",\n" : "\n";
  }
  yield `${indent}}`;
}

/** Whether the value holds an array long enough to be worth emitting piece by piece (looks two levels down). */
function containsLongArray(value: unknown, depth = 0): boolean {
  if (Array.isArray(value)) return value.length > LONG_ARRAY || (depth < 2 && value.some((v) => containsLongArray(v, depth + 1)));
  if (value === null || typeof value !== "object") return false;
  return depth < 2 && Object.values(value).some((v) => containsLongArray(v, depth + 1));
}
