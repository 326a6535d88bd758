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
 * top level that is not a block mapping of plain keys, whitespace YAML does not
 * count as whitespace, a list key YAML reads elsewhere, a slice that fails to
 * parse or yields another number of items), it answers undefined and the whole
 * document is parsed instead.
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

/**
 * Characters some string functions take for whitespace and YAML does not (no-break
 * and other Unicode spaces, line and paragraph separators, a BOM, vertical tab,
 * form feed), and a carriage return that ends no line: a file holding any of
 * them is parsed whole, so no blank line, indentation or comment is misread.
 */
const NOT_YAML_WHITESPACE = /[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\v\f]|\r(?!\n)/;

/** A line at column 0 of a block mapping of plain keys, as the manifest's top level is written. */
const TOP_LEVEL_KEY = /^[A-Za-z_][A-Za-z0-9_-]*:(?:[ \t\r]|$)/;

export function parseChunkedSource(text: string): ParsedSource | undefined {
  if (/^(---|\.\.\.)/m.test(text) || NOT_YAML_WHITESPACE.test(text)) return undefined;
  const lines = text.split("\n");
  // A flow mapping, a quoted or complex key, a directive, text that continues a scalar: anything but plain keys at column 0.
  if (lines.some((line) => /^[^ \t#\r]/.test(line) && !TOP_LEVEL_KEY.test(line))) return undefined;
  const slicesOf = new Map<string, Slice[]>();
  for (const list of LISTS) {
    const slices = sliceList(lines, list);
    if (slices === null) return undefined;
    if (slices.length > 0) slicesOf.set(list, slices);
  }
  if (slicesOf.size === 0) return undefined;

  const { text: skeletonText, removed } = withoutLists(lines, [...slicesOf.values()]);
  let skeleton: ParsedSource;
  try {
    skeleton = parseWholeSource(skeletonText);
  } catch {
    return undefined;
  }
  if (skeleton.syntaxErrors.length > 0 || !isPlainObject(skeleton.data)) return undefined;
  const data = skeleton.data;
  const locator = shifted(skeleton.locator, removed);
  for (const [list, slices] of slicesOf) {
    if (data[list] !== null) return undefined;
    // The key YAML reads must be the line sliced under: not one inside a quoted scalar above it.
    if (locator.keyAt([], list)?.line !== keyLineOf(lines, list) + 1) return undefined;
    const items: unknown[] = [];
    for (const slice of slices) {
      const parsed = plainIdItems(slice) ?? parseSlice(slice);
      if (parsed === undefined) return undefined;
      for (const item of parsed) items.push(item);
    }
    data[list] = items;
  }
  return { data, syntaxErrors: [], locator: slicedLocator(locator, slicesOf) };
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
  let parsed: unknown;
  try {
    parsed = doc.toJS({ maxAliasCount: 0 });
  } catch {
    // An alias the line check missed: the whole document says what it is.
    return undefined;
  }
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
/** The 0-based line of the first top-level `list:` with nothing after it (but a comment), or -1. */
function keyLineOf(lines: readonly string[], list: string): number {
  return lines.findIndex((line) => new RegExp(`^${list}:[ \\t]*(#.*)?\\r?$`).test(line));
}

function sliceList(lines: string[], list: string): Slice[] | null {
  const keyLine = keyLineOf(lines, list);
  if (keyLine < 0) return [];
  let end = keyLine + 1;
  while (end < lines.length && !/^[^ \t#\r]/.test(lines[end] ?? "")) end++;
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
    // Anchors, aliases and tags anywhere on the line (even in a quote or a comment): left to YAML.
    if (indentOf(line) < indent.length || /[&*!]/.test(line)) return null;
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

/** Blank, or only a comment: spaces and tabs are YAML's whitespace (other characters send the file to YAML whole). */
function isBlankOrComment(line: string): boolean {
  return /^[ \t]*(#.*)?\r?$/.test(line);
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)?.[0].length ?? 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
