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
  return plainLine(value) ?? JSON.stringify(sortKeys(value));
}

/**
 * `JSON.stringify(sortKeys(value))` for plain JSON data (what JSON.parse gives:
 * the archive's documents), written in one pass, without sorted copies of its
 * objects, each object's key order sorted once per shape (its keys in their
 * order): a tenant's documents share a few shapes. About twice as fast on
 * ~1 KB documents. Undefined for anything else (a toJSON, an instance of a
 * class, a BigInt...), which the general way writes, or refuses, as before.
 */
function plainLine(value: unknown): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return JSON.stringify(value);
    case "object":
      break;
    default:
      return undefined;
  }
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return undefined;
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      // As JSON.stringify writes an array's holes, undefined members, functions and symbols.
      const text = v === undefined || typeof v === "function" || typeof v === "symbol" ? "null" : plainLine(v);
      if (text === undefined) return undefined;
      out += i === 0 ? text : `,${text}`;
    }
    return `${out}]`;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.toJSON === "function") return undefined;
  const shape = shapeOf(Object.keys(record));
  let out = "{";
  for (let i = 0; i < shape.keys.length; i++) {
    const v = record[shape.keys[i] as string];
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    const text = plainLine(v);
    if (text === undefined) return undefined;
    out += `${out.length === 1 ? "" : ","}${shape.members[i]}${text}`;
  }
  return `${out}}`;
}

/** An object's keys in the order the line writes them, and each one's `"key":`. */
interface Shape {
  own: readonly string[];
  keys: readonly string[];
  members: readonly string[];
}

const shapes = new Map<string, Shape>();
/** Shapes remembered at most: documents of many shapes are written all the same, each sorting its own keys. */
const MAX_SHAPES = 1000;

function shapeOf(own: readonly string[]): Shape {
  const name = own.join("\u0000");
  const known = shapes.get(name);
  // Keys holding the separator could name another shape the same: the keys themselves are compared.
  if (known && known.own.length === own.length && known.own.every((key, i) => key === own[i])) return known;
  // Integer-like keys come first, in numeric order, in any object (Object.keys lists them so): only the others are sorted.
  let indexes = 0;
  while (indexes < own.length && isArrayIndex(own[indexes] as string)) indexes++;
  const keys = [...own.slice(0, indexes), ...own.slice(indexes).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
  const shape: Shape = { own: [...own], keys, members: keys.map((key) => `${JSON.stringify(key)}:`) };
  if (!known && shapes.size < MAX_SHAPES) shapes.set(name, shape);
  return shape;
}

/** A key that objects keep among their integer-indexed ones: a canonical array index (0 to 2^32 - 2). */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && /^(?:0|[1-9][0-9]{0,9})$/.test(key) && Number(key) < 4294967295;
}

/**
 * The value with every object's keys in order and its undefined members dropped;
 * any part already so is returned as it is (no copy), and only then is nothing
 * allocated for it.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v === null || typeof v !== "object") continue;
      const sorted = sortKeys(v);
      if (sorted !== v) (copy ??= value.slice())[i] = sorted;
    }
    return copy ?? value;
  }
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Filled only once something differs: the values (sorted) of keys[0..i].
  let sortedValues: unknown[] | undefined;
  let inOrder = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0 && !((keys[i - 1] as string) < key)) inOrder = false;
    const v = record[key];
    const sorted = v === null || typeof v !== "object" ? v : sortKeys(v);
    if (sortedValues === undefined && (sorted !== v || v === undefined)) sortedValues = keys.slice(0, i).map((k) => record[k]);
    sortedValues?.push(sorted);
  }
  if (inOrder && sortedValues === undefined) return value;
  const order = keys.map((key, i) => [key, sortedValues === undefined ? record[key] : sortedValues[i]] as const);
  order.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const [key, v] of order) {
    // defineProperty, not assignment: a key such as "__proto__" is data here.
    if (v !== undefined) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * How long a piece is, at most (unless one part is longer). Under V8's 128 KB
 * limit for the young generation: a longer string goes straight to the large
 * object space, which only a full collection frees, so writing a 260 MB plan
 * in 1 MB pieces left 260 MB there, on top of the plan, for seconds.
 */
const PIECE_SIZE = 1 << 16;

/**
 * The same bytes as `canonicalJson`, in pieces of about `pieceSize` characters,
 * so a plan of a million ids is written without holding its whole text (and a
 * buffer copy of it) in memory. Long arrays are emitted a slice at a time;
 * everything else goes through JSON.stringify.
 */
export function* canonicalJsonPieces(value: unknown, pieceSize = PIECE_SIZE): Generator<string> {
  yield* inPieces(emit(sortKeys(value), ""), pieceSize);
  yield "\n";
}

/** What `canonicalJsonPiecesSealed` gives the content to, and asks its field's value of once it has seen all of it. */
export interface Seal {
  update(piece: string): void;
  value(): string;
}

/**
 * The pieces of `canonicalJsonPieces({ ...value, [field]: seal.value() })`,
 * where `seal` was first given the pieces of `canonicalJsonPieces(value)`
 * (without `field`): a document that carries a digest of the rest of itself,
 * made canonical once for both. The members that sort before `field` are given
 * out as they are made; those after it are held until the seal is known.
 */
export function* canonicalJsonPiecesSealed(value: object, field: string, seal: Seal, pieceSize = PIECE_SIZE): Generator<string> {
  const entries = Object.entries(sortKeys(value) as Record<string, unknown>).filter(([k, v]) => v !== undefined && k !== field);
  if (entries.length === 0) throw new Error("a sealed document has other members than its seal");
  let sealAt = entries.findIndex(([key]) => key > field);
  if (sealAt === -1) sealAt = entries.length;
  const held: string[] = [];
  let sealReached = false;
  // The content's own text, piece by piece: the seal sees all of it, and so does the file, with the seal's member where it sorts.
  for (const piece of inPieces(objectEntries(entries, "", sealAt), pieceSize)) {
    if (piece === SEAL_HERE) sealReached = true;
    else {
      seal.update(piece);
      if (sealReached) held.push(piece);
      else yield piece;
    }
  }
  seal.update("\n");
  const member = `  ${JSON.stringify(field)}: ${JSON.stringify(seal.value())}`;
  // Between two members the file has `,\n<seal>,\n` where the content has `,\n`; after the last, `,\n<seal>`.
  yield sealAt < entries.length ? `${member},\n` : `,\n${member}`;
  yield* held;
  yield "\n";
}

/** Where a sealed document's seal goes: a part no JSON text can be (JSON.stringify escapes a NUL), passed on alone by `inPieces`. */
const SEAL_HERE = "\u0000seal";

/**
 * `parts` joined into pieces of at most `pieceSize` characters, or one part
 * when that part alone is longer; SEAL_HERE passes through, alone.
 */
function* inPieces(parts: Iterable<string>, pieceSize: number): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const part of parts) {
    if (length > 0 && (part === SEAL_HERE || length + part.length > pieceSize)) {
      yield buffer.join("");
      buffer = [];
      length = 0;
    }
    if (part === SEAL_HERE) {
      yield SEAL_HERE;
      continue;
    }
    buffer.push(part);
    length += part.length;
  }
  if (length > 0) yield buffer.join("");
}

const LONG_ARRAY = 256;

function* emit(value: unknown, indent: string): Generator<string> {
  if (!containsLongArray(value)) {
    yield stringifyAt(value, indent);
    return;
  }
  if (Array.isArray(value)) {
    yield* arrayElements(value, indent);
    return;
  }
  const record = value as Record<string, unknown>;
  yield* objectMembers(
    record,
    Object.keys(record).filter((key) => record[key] !== undefined),
    indent,
  );
}

/**
 * An object's members, those that hold no long array a slice (of LONG_ARRAY)
 * at a time through one JSON.stringify: a state's 100,000 ids come in pieces,
 * not as one string.
 */
function* objectMembers(record: Record<string, unknown>, keys: readonly string[], indent: string): Generator<string> {
  const inner = `${indent}  `;
  yield "{\n";
  for (let start = 0; start < keys.length; start += LONG_ARRAY) {
    const slice = keys.slice(start, start + LONG_ARRAY);
    const last = start + slice.length === keys.length;
    if (!slice.some((key) => containsLongArray(record[key]))) {
      // No prototype, so a dictionary from the start: an ordinary object would make a hidden class per key
      // (ids, as in a state's records) before turning into one. defineProperty: a key such as "__proto__" is data here.
      const chunk = Object.create(null) as Record<string, unknown>;
      for (const key of slice)
        Object.defineProperty(chunk, key, { value: record[key], enumerable: true, writable: true, configurable: true });
      // "{\n<inner>"k": v,\n<inner>…\n<indent>}", without its braces' lines.
      yield stringifyAt(chunk, indent).slice(2, -(indent.length + 2));
      yield last ? "\n" : ",\n";
      continue;
    }
    for (let i = 0; i < slice.length; i++) {
      const key = slice[i] as string;
      yield `${inner}${JSON.stringify(key)}: `;
      yield* emit(record[key], inner);
      yield last && i === slice.length - 1 ? "\n" : ",\n";
    }
  }
  yield `${indent}}`;
}

/** JSON.stringify with 2-space indent, its lines after the first indented by `indent` more. */
function stringifyAt(value: unknown, indent: string): string {
  return indent === "" ? JSON.stringify(value, null, 2) : elementsText([value], indent.slice(2)).slice(indent.length);
}

/**
 * The elements of an array written at `indent`, through one JSON.stringify:
 * `<indent>  a,\n<indent>  b`, each nested line indented as the document
 * indents it. Wrapped in as many arrays as `indent` has levels, the elements come
 * out at their depth already; only the wrapping lines are cut (as many
 * characters before as after: `[\n`, `  [\n`, … and `\n  ]`, `\n]`).
 */
function elementsText(values: readonly unknown[], indent: string): string {
  const levels = indent.length / 2;
  let wrapped: unknown = values;
  for (let i = 0; i < levels; i++) wrapped = [wrapped];
  const cut = (levels + 1) * (levels + 2);
  return JSON.stringify(wrapped, null, 2).slice(cut, -cut);
}

/**
 * An object's members; where `sealAt` is given, SEAL_HERE just before the
 * member of that index (after the separator that precedes it), or, if it is
 * the count of members, just after the last.
 */
function* objectEntries(entries: readonly (readonly [string, unknown])[], indent: string, sealAt = -1): Generator<string> {
  const inner = `${indent}  `;
  yield "{\n";
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i] as readonly [string, unknown];
    if (i === sealAt) yield SEAL_HERE;
    yield `${inner}${JSON.stringify(key)}: `;
    yield* emit(v, inner);
    if (i < entries.length - 1) yield ",\n";
    else {
      if (sealAt === entries.length) yield SEAL_HERE;
      yield "\n";
    }
  }
  yield `${indent}}`;
}

/** An array's elements, those that hold no long array a slice (of LONG_ARRAY) at a time, through one JSON.stringify. */
function* arrayElements(value: readonly unknown[], indent: string): Generator<string> {
  const inner = `${indent}  `;
  yield "[\n";
  for (let start = 0; start < value.length; start += LONG_ARRAY) {
    const slice = value.slice(start, start + LONG_ARRAY).map((v) => (v === undefined ? null : v));
    const last = start + slice.length === value.length;
    if (!slice.some((v) => containsLongArray(v))) {
      yield elementsText(slice, indent);
      yield last ? "\n" : ",\n";
      continue;
    }
    for (let i = 0; i < slice.length; i++) {
      yield inner;
      yield* emit(slice[i], inner);
      yield last && i === slice.length - 1 ? "\n" : ",\n";
    }
  }
  yield `${indent}]`;
}

/** Whether the value is or holds (two levels down) an array or object long enough to be worth emitting piece by piece. */
function containsLongArray(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) {
    if (value.length > LONG_ARRAY) return true;
    if (depth >= 2) return false;
    for (const v of value) if (containsLongArray(v, depth + 1)) return true;
    return false;
  }
  // for…in, not Object.values: nothing allocated per object of a million-change plan.
  let members = 0;
  for (const key in value) {
    if (++members > LONG_ARRAY) return true;
    if (depth < 2 && containsLongArray((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}
