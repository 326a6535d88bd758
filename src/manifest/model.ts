/** The manifest after validation: what must no longer exist, with every default applied. */

export const CASCADE_OPTIONS = ["alarms", "measurements", "tasks"] as const;
export type CascadeOption = (typeof CASCADE_OPTIONS)[number];

/** How a state record or plan change names the manifest entry behind an id. */
export const EXPLICIT_ENTRY = "id";

export interface ResourceEntry {
  id: string;
  /** Effective cascade set (entry, else defaults, else none), in canonical order. */
  cascade: CascadeOption[];
}

export interface ResourceTypeEntry {
  id: string;
}

export interface Manifest {
  /** As given on the command line; used in messages. */
  path: string;
  /** sha256 of the file's bytes; a saved plan records it. */
  sha256: string;
  resources: ResourceEntry[];
  resourceTypes: ResourceTypeEntry[];
}

/** Sorted and de-duplicated, so `[tasks, alarms]` and `[alarms, tasks]` are one cascade set. */
export function canonicalCascade(values: readonly string[]): CascadeOption[] {
  return CASCADE_OPTIONS.filter((option) => values.includes(option));
}
