/**
 * Maps a JSON Pointer from schema validation back to a line and column in the
 * manifest, and to the `resources[3].select` form used in messages.
 */
import { isMap, isNode, isScalar, type Document, type LineCounter, type Node } from "yaml";

export type PathSegment = string | number;

export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function displayPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** The node at `path`, or the nearest existing ancestor when it is absent. */
export function nodeAt(doc: Document, path: readonly PathSegment[]): Node | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const found = doc.getIn(path.slice(0, depth), true);
    if (isNode(found)) return found;
  }
  return isNode(doc.contents) ? doc.contents : undefined;
}

/** The key node of `key` inside the map at `path` (to point at an unknown key). */
export function keyNodeAt(doc: Document, path: readonly PathSegment[], key: string): Node | undefined {
  const map = doc.getIn(path, true);
  if (!isMap(map)) return undefined;
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.value === key) return pair.key;
  }
  return undefined;
}

export function lineColumn(lineCounter: LineCounter, node: Node | undefined): { line: number; column: number } {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
