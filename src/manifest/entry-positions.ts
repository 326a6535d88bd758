/**
 * Where in the manifest an entry is written, for problems found after loading
 * (a blocker names the entry that brought an id in). Built on first use: a
 * plan without problems never walks the file's ids, and one with problems walks
 * them once (a sliced manifest re-parses each slice once, in order).
 */
import type { ManifestPosition, ManifestPositions } from "./model.js";
import type { SourceLocator } from "./source.js";

/** How many items each list of the written manifest holds. */
export interface ListLengths {
  resources: number;
  resourceTypes: number;
  protectedResources: number;
  protectedResourceTypes: number;
}

/** `locate` gives the manifest's locator; it is called once, on first need. */
export function entryPositions(locate: () => SourceLocator, lengths: ListLengths): ManifestPositions {
  let cached: SourceLocator | undefined;
  const locator = {
    at: (path: (string | number)[]) => (cached ??= locate()).at(path),
    keyAt: (path: (string | number)[], key: string) => (cached ??= locate()).keyAt(path, key),
    scalarAt: (path: (string | number)[]) => (cached ??= locate()).scalarAt(path),
  };
  let walked: { ids: Map<string, number>; selectors: number[] } | undefined;
  /** `resources[i]`: explicit ids by id, and selectors in manifest order (as Manifest.selectors holds them). */
  const resources = () => {
    if (walked) return walked;
    walked = { ids: new Map(), selectors: [] };
    for (let i = 0; i < lengths.resources; i++) {
      const id = locator.scalarAt(["resources", i, "id"])?.value;
      if (typeof id === "string") walked.ids.set(id, i);
      else walked.selectors.push(i);
    }
    return walked;
  };
  /** The position of the first item of `list` whose value (at `field`, if given) is `id`. */
  const find = (list: (string | number)[], length: number, id: string, field?: string): ManifestPosition | undefined => {
    for (let i = 0; i < length; i++) {
      const path = field === undefined ? [...list, i] : [...list, i, field];
      if (locator.scalarAt(path)?.value === id) return locator.at(path);
    }
    return undefined;
  };
  return {
    explicitResource(id) {
      const i = resources().ids.get(id);
      return i === undefined ? undefined : locator.at(["resources", i, "id"]);
    },
    selector(index) {
      const i = resources().selectors[index];
      // The `select:` key: the selector's value starts on the line after it.
      return i === undefined ? undefined : (locator.keyAt(["resources", i], "select") ?? locator.at(["resources", i, "select"]));
    },
    resourceType: (id) => find(["resourceTypes"], lengths.resourceTypes, id, "id"),
    protectedId: (kind, id) =>
      kind === "resource"
        ? find(["protect", "resources"], lengths.protectedResources, id)
        : find(["protect", "resourceTypes"], lengths.protectedResourceTypes, id),
    maxDeletes: () => locator.at(["guard", "maxDeletes"]),
  };
}
