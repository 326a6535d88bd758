/**
 * `--target`: limit a plan to some ids and whatever they depend on. Deleting a
 * resource depends on its children in the plan going first; deleting a type
 * depends on the plan's resources of that type (and their children). Pure.
 */
import type { EntityKind } from "../state/model.js";
import type { Change, LiveFacts } from "./model.js";

export interface Target {
  kind?: EntityKind;
  id: string;
}

/** `resource:ID` or `resourceType:ID` name one kind; a bare `ID` matches either. */
export function parseTarget(raw: string): Target {
  for (const kind of ["resource", "resourceType"] as const) {
    if (raw.startsWith(`${kind}:`)) return { kind, id: raw.slice(kind.length + 1) };
  }
  return { id: raw };
}

export function targetedChanges(changes: readonly Change[], targets: readonly Target[], live: LiveFacts): Change[] {
  const dependents = new Map<string, string[]>();
  const add = (key: string, dependent: string) => {
    let list = dependents.get(key);
    if (!list) dependents.set(key, (list = []));
    list.push(dependent);
  };
  for (const c of changes) {
    if (c.kind !== "resource" || c.action !== "delete") continue;
    const facts = live.resources.get(c.id);
    if (facts?.parentId !== undefined) add(`resource:${facts.parentId}`, `resource:${c.id}`);
    if (facts?.resourceTypeId !== undefined) add(`resourceType:${facts.resourceTypeId}`, `resource:${c.id}`);
  }
  const included = new Set<string>();
  const queue = changes
    .filter((c) => targets.some((t) => t.id === c.id && (t.kind === undefined || t.kind === c.kind)))
    .map((c) => `${c.kind}:${c.id}`);
  while (queue.length > 0) {
    const key = queue.pop() as string;
    if (included.has(key)) continue;
    included.add(key);
    for (const dependent of dependents.get(key) ?? []) queue.push(dependent);
  }
  return changes.filter((c) => included.has(`${c.kind}:${c.id}`));
}
