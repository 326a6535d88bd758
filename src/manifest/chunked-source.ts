/**
 * Large manifests are id lists: a `resources:` (or `resourceTypes:`) block
 * sequence of a million `- id: …` items. Parsed as one YAML document, its syntax
 * tree alone needs gigabytes; parsed as independent slices of items, memory
 * stays proportional to the data. Each slice (every line from one item start to
 * the next slice's first item) is valid YAML on its own: a block sequence at the
 * same indentation. The rest of the file is parsed without those lines, and its
 * positions shifted back to the file's lines.
 *
 * This is an optimisation, never a second YAML dialect: whenever the file is not
 * of that plain shape (document markers, anchors, aliases, tags, a flow list, a
 * slice that fails to parse or yields another number of items), it answers
 * undefined and the whole document is parsed instead.
 */
import { type ParsedSource, type Position, type SourceLocator, documentLocator, parseFragment, parseWholeSource } from "./source.js";

const ITEMS_PER_SLICE = 10_000;
const LISTS = ["resources", "resourceTypes"] as const;

export interface Slice {
  /** 0-based index of the slice's first line in the file. */
  firstLine: number;
  text: string;
  /** Index of the slice's first item in the list. */
  firstItem: number;
  items: number;
  /** The spaces before each item's `-`. */
  indent: string;
  /** How many lines of the file the slice holds. */
  lines: number;
}

export function parseChunkedSource(text: string): ParsedSource | undefined {
  if (/^(---|\.\.\.)/m.test(text)) return undefined;
  const lines = text.split("\n");
  const slicesOf = new Map<string, Slice[]>();
  for (const list of LISTS) {
    const slices = sliceList(lines, list);
    if (slices === null) return undefined;
    if (slices.length > 0) slicesOf.set(list, slices);
  }
  if (slicesOf.size === 0) return undefined;

  const { text: skeletonText, removed } = withoutLists(lines, [...slicesOf.values()]);
  const skeleton = parseWholeSource(skeletonText);
  if (skeleton.syntaxErrors.length > 0 || !isPlainObject(skeleton.data)) return undefined;
  const data = skeleton.data;
  for (const [list, slices] of slicesOf) {
    if (data[list] !== null) return undefined;
    const items: unknown[] = [];
    for (const slice of slices) {
      const parsed = plainIdItems(slice) ?? parseSlice(slice);
      if (parsed === undefined) return undefined;
      for (const item of parsed) items.push(item);
    }
    data[list] = items;
  }
  return { data, syntaxErrors: [], locator: slicedLocator(shifted(skeleton.locator, removed), slicesOf) };
}

/** Lines taken out of the skeleton: `count` of them, where its (0-based) line `at` now is. */
interface Removed {
  at: number;
  count: number;
}

/**
 * The rest of the file, the lists' lines taken out rather than blanked: YAML
 * would spend as long on a million empty lines as on the items. Nothing else
 * moves, so a position in it is its position in the file once the lines
 * taken out before it are counted back (`shifted`).
 */
function withoutLists(lines: readonly string[], lists: Slice[][]): { text: string; removed: Removed[] } {
  const ranges = lists
    .map((slices) => {
      const last = slices[slices.length - 1] as Slice;
      return { from: (slices[0] as Slice).firstLine, to: last.firstLine + last.lines };
    })
    .sort((a, b) => a.from - b.from);
  const kept: string[] = [];
  const removed: Removed[] = [];
  let next = 0;
  for (const { from, to } of ranges) {
    for (let i = next; i < from; i++) kept.push(lines[i] as string);
    removed.push({ at: kept.length, count: to - from });
    next = to;
  }
  for (let i = next; i < lines.length; i++) kept.push(lines[i] as string);
  return { text: kept.join("\n"), removed };
}

/** The skeleton's positions as positions in the file. */
function shifted(locator: SourceLocator, removed: readonly Removed[]): SourceLocator {
  const inFile = (p: Position): Position => {
    let line = p.line;
    for (const r of removed) if (p.line - 1 >= r.at) line += r.count;
    return { line, column: p.column };
  };
  return {
    at: (path) => inFile(locator.at(path)),
    keyAt: (path, key) => {
      const p = locator.keyAt(path, key);
      return p && inFile(p);
    },
    scalarAt: (path) => locator.scalarAt(path),
  };
}

/** The slice's items as YAML reads them, or undefined when it does not parse into exactly its items. */
function parseSlice(slice: Slice): unknown[] | undefined {
  const { doc } = parseFragment(slice.text);
  if (doc.errors.length > 0) return undefined;
  const parsed: unknown = doc.toJS({ maxAliasCount: 0 });
  return Array.isArray(parsed) && parsed.length === slice.items ? parsed : undefined;
}

/**
 * A slice whose every line is `- id: <word>` (or blank, or a comment), at the
 * list's indentation, read without the YAML parser: `{ id: "<word>" }` per
 * line, exactly what YAML makes of it, because a word here is a plain scalar of
 * letters, digits, `_`, `.` and `-` that starts with a letter or digit and that
 * the YAML 1.2 core schema would not read as null, a boolean or a number (the
 * tests below are that schema's own, as the yaml package writes them). Any
 * other line, and the slice is left to YAML (undefined). Positions still come
 * from YAML, parsing the slice when one is asked for.
 */
export function plainIdItems(slice: Slice): unknown[] | undefined {
  const items: { id: string }[] = [];
  const item = new RegExp(`^${slice.indent}- id: +([A-Za-z0-9][A-Za-z0-9_.-]*) *\r?$`);
  for (const line of slice.text.split("\n")) {
    const id = item.exec(line)?.[1];
    if (id === undefined) {
      if (isBlankOrComment(line.endsWith("\r") ? line.slice(0, -1) : line)) continue;
      return undefined;
    }
    if (NOT_A_STRING.some((test) => test.test(id))) return undefined;
    items.push({ id });
  }
  return items.length === slice.items ? items : undefined;
}

/** What the YAML 1.2 core schema reads as null, a boolean, an integer or a float (yaml/dist/schema/core). */
const NOT_A_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];

/**
 * The slices of the block sequence under a top-level `list:` key in `lines`;
 * [] when the key is absent or not followed by a block sequence we can slice;
 * null when the file must be parsed whole.
 */
function sliceList(lines: string[], list: string): Slice[] | null {
  const keyLine = lines.findIndex((line) => new RegExp(`^${list}:\\s*(#.*)?$`).test(line));
  if (keyLine < 0) return [];
  let end = keyLine + 1;
  while (end < lines.length && !/^[^\s#]/.test(lines[end] ?? "")) end++;
  const first = lines.slice(keyLine + 1, end).findIndex((line) => !isBlankOrComment(line));
  if (first < 0) return [];
  const start = keyLine + 1 + first;
  const indent = /^( *)- /.exec(lines[start] ?? "")?.[1];
  if (indent === undefined) return null;
  const itemStart = new RegExp(`^${indent}-( |$)`);

  const slices: Slice[] = [];
  let items = 0;
  let sliceStart = start;
  let sliceItems = 0;
  for (let i = start; i < end; i++) {
    const line = lines[i] ?? "";
    if (isBlankOrComment(line)) continue;
    if (line.length - line.trimStart().length < indent.length || /[&*!]/.test(withoutComment(line))) return null;
    if (!itemStart.test(line)) continue;
    if (sliceItems === ITEMS_PER_SLICE) {
      slices.push({
        firstLine: sliceStart,
        text: sliceText(lines, sliceStart, i),
        firstItem: items - sliceItems,
        items: sliceItems,
        indent,
        lines: i - sliceStart,
      });
      sliceStart = i;
      sliceItems = 0;
    }
    items++;
    sliceItems++;
  }
  slices.push({
    firstLine: sliceStart,
    text: sliceText(lines, sliceStart, end),
    firstItem: items - sliceItems,
    items: sliceItems,
    indent,
    lines: end - sliceStart,
  });
  return slices;
}

/**
 * Lines `from` to `to`, each ending in the newline the split took away: a CRLF
 * file's last line keeps its "\r", which only a following "\n" makes a line break.
 */
function sliceText(lines: readonly string[], from: number, to: number): string {
  return lines.slice(from, to).join("\n") + "\n";
}

/** Positions inside a sliced list come from re-parsing that one slice, on demand. */
function slicedLocator(skeleton: SourceLocator, slicesOf: Map<string, Slice[]>): SourceLocator {
  let cached: { slice: Slice; locator: SourceLocator } | undefined;
  const within = (path: readonly (string | number)[]): { locator: SourceLocator; rest: (string | number)[] } | undefined => {
    const [list, index, ...rest] = path;
    const slices = typeof list === "string" ? slicesOf.get(list) : undefined;
    if (!slices || typeof index !== "number") return undefined;
    const slice = slices.find((s) => index >= s.firstItem && index < s.firstItem + s.items);
    if (!slice) return undefined;
    if (cached?.slice !== slice) {
      const { doc, lineCounter } = parseFragment(slice.text);
      cached = { slice, locator: documentLocator(doc, lineCounter, slice.firstLine) };
    }
    return { locator: cached.locator, rest: [index - slice.firstItem, ...rest] };
  };
  return {
    at: (path): Position => {
      const inside = within(path);
      return inside ? inside.locator.at(inside.rest) : skeleton.at(path);
    },
    keyAt: (path, key) => {
      const inside = within(path);
      return inside ? inside.locator.keyAt(inside.rest, key) : skeleton.keyAt(path, key);
    },
    scalarAt: (path) => {
      const inside = within(path);
      return inside ? inside.locator.scalarAt(inside.rest) : skeleton.scalarAt(path);
    },
  };
}

function isBlankOrComment(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed === "" || trimmed.startsWith("#");
}

/** The line without a trailing comment (`#` after whitespace starts one in YAML). */
function withoutComment(line: string): string {
  const hash = line.search(/(^|\s)#/);
  return hash < 0 ? line : line.slice(0, hash);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
