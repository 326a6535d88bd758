import { compareStrings } from "../text/compare.js";
import type { Change } from "./model.js";

const KIND_ORDER = { resource: 0, resourceType: 1 } as const;

/** Resources before resource types, then by id: the order every file and view uses. */
export function compareChanges(a: Change, b: Change): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareStrings(a.id, b.id);
}
