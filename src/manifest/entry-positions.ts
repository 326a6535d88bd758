/**
 * Where in the manifest an entry is written, for problems found after loading
 * (a blocker names the entry that brought an id in). Nothing is read until a
 * position is asked for. Entries are told apart by their keys, and their ids
 * are taken from the loaded manifest (which lists them in file order), so an
 * aliased id is found like any other. Many ids are looked up in file order: a
 * sliced manifest then parses each slice once, however the ids were ordered.
 */
import type { ManifestPosition, ManifestPositions } from "./model.js";
import type { SourceLocator } from "./source.js";

/** The loaded manifest's lists, in the order the file writes them. */
export interface WrittenLists {
  /** The ids of the explicit `resources` entries. */
  explicitIds: readonly string[];
  /** How many entries `resources` holds, explicit and selectors. */
  resourceEntries: number;
  resourceTypes: readonly string[];
  protectedResources: readonly string[];
  protectedResourceTypes: readonly string[];
}

/** `locate` gives the manifest's locator; it is called once, on first need. */
export function entryPositions(locate: () => SourceLocator, lists: WrittenLists): ManifestPositions {
  let cached: SourceLocator | undefined;
  const locator = () => (cached ??= locate());
  let walked: { ids: Map<string, number>; selectors: number[] } | undefined;
  /** Which `resources[i]` is each explicit id's entry, and each selector's, in file order. */
  const entries = () => {
    if (walked) return walked;
    walked = { ids: new Map(), selectors: [] };
    let explicit = 0;
    for (let i = 0; i < lists.resourceEntries; i++) {
      if (locator().keyAt(["resources", i], "id") === undefined) walked.selectors.push(i);
      else {
        const id = lists.explicitIds[explicit++];
        if (id !== undefined && !walked.ids.has(id)) walked.ids.set(id, i);
      }
    }
    return walked;
  };
  const at = (path: (string | number)[]): ManifestPosition => locator().at(path);
  const indexed = (list: readonly string[], id: string, path: (i: number) => (string | number)[]) => {
    const i = list.indexOf(id);
    return i < 0 ? undefined : at(path(i));
  };
  return {
    explicitResources(ids) {
      const found: [string, number][] = [];
      for (const id of ids) {
        const i = entries().ids.get(id);
        if (i !== undefined) found.push([id, i]);
      }
      found.sort(([, a], [, b]) => a - b);
      return new Map(found.map(([id, i]) => [id, at(["resources", i, "id"])]));
    },
    selector(index) {
      const i = entries().selectors[index];
      // The `select:` key: the selector's value starts on the line after it.
      return i === undefined ? undefined : (locator().keyAt(["resources", i], "select") ?? at(["resources", i, "select"]));
    },
    resourceType: (id) => indexed(lists.resourceTypes, id, (i) => ["resourceTypes", i, "id"]),
    protectedId: (kind, id) =>
      kind === "resource"
        ? indexed(lists.protectedResources, id, (i) => ["protect", "resources", i])
        : indexed(lists.protectedResourceTypes, id, (i) => ["protect", "resourceTypes", i]),
    maxDeletes: () => at(["guard", "maxDeletes"]),
  };
}
