/**
 * A manifest's text parsed as YAML, with a way back from a data path to the
 * line and column it came from. Validation works on `data`; only messages use
 * the locator, so a large manifest need not keep its syntax tree in memory.
 */
import { isNode, isScalar, LineCounter, parseDocument, visit, type Document } from "yaml";
import { keyNodeAt, lineColumn, nodeAt, type PathSegment } from "./positions.js";

export interface Position {
  line: number;
  column: number;
}

export interface SourceLocator {
  /** Where the node at `path` is, or its nearest existing ancestor. */
  at(path: readonly PathSegment[]): Position;
  /** Where the key `key` of the mapping at `path` is written. */
  keyAt(path: readonly PathSegment[], key: string): Position | undefined;
  /** The scalar at `path` as written, and the value YAML read from it. */
  scalarAt(path: readonly PathSegment[]): { source: string; value: unknown } | undefined;
}

export interface SyntaxProblem {
  code: string;
  message: string;
  position: Position;
}

export interface ParsedSource {
  /** The document as plain data (undefined for an empty file). */
  data: unknown;
  syntaxErrors: SyntaxProblem[];
  locator: SourceLocator;
}

const OPTIONS = { uniqueKeys: true, prettyErrors: false } as const;

export function parseWholeSource(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...OPTIONS, lineCounter });
  const syntaxErrors = doc.errors.map((e) => ({
    code: e.code,
    message: e.message.split("\n")[0] ?? e.message,
    position: position(lineCounter, e.pos[0]),
  }));
  let data: unknown;
  if (syntaxErrors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // An alias to no anchor before it, or aliases that multiply past reason: YAML's parser says so only here.
      if (!(err instanceof ReferenceError)) throw err;
      syntaxErrors.push({ code: "BAD_ALIAS", message: err.message, position: aliasPosition(doc, lineCounter) });
    }
  }
  return { data, syntaxErrors, locator: documentLocator(doc, lineCounter) };
}

/** Where the first alias that resolves to nothing is, or else the first alias. */
function aliasPosition(doc: Document, lineCounter: LineCounter): Position {
  let first: number | undefined;
  let unresolved: number | undefined;
  visit(doc, {
    Alias(_, node) {
      const offset = node.range?.[0] ?? 0;
      first ??= offset;
      if (unresolved === undefined && node.resolve(doc) === undefined) unresolved = offset;
    },
  });
  return position(lineCounter, unresolved ?? first ?? 0);
}

/** A locator over one parsed document whose first line is line `1 + lineOffset` of the file. */
export function documentLocator(doc: Document, lineCounter: LineCounter, lineOffset = 0): SourceLocator {
  const shift = (p: Position): Position => ({ line: p.line + lineOffset, column: p.column });
  return {
    at: (path) => shift(lineColumn(lineCounter, nodeAt(doc, path))),
    keyAt: (path, key) => {
      const node = keyNodeAt(doc, path, key);
      return node ? shift(lineColumn(lineCounter, node)) : undefined;
    },
    scalarAt: (path) => {
      const node = doc.getIn(path, true);
      if (!isNode(node) || !isScalar(node)) return undefined;
      return { source: node.source ?? String(node.value), value: node.value };
    },
  };
}

export function parseFragment(text: string) {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { ...OPTIONS, lineCounter }), lineCounter };
}

function position(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
