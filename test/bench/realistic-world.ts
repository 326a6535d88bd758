/**
 * The realistic scenario's manifest, designed on the world the emulator will
 * serve (`--generate-realistic`, the same seeded function): of a world twice the
 * size, delete exactly `n` resources as whole subtrees, so the plan is not
 * blocked. The three legacy types go by selector (a legacy gateway has only
 * legacy devices, a legacy device only legacy sensors), with the types
 * themselves; then modern gateways' subtrees by explicit id, then modern
 * devices' subtrees, then single sensors to make up `n`. Every referrer of a
 * resource sits below it in this world, so a deleted subtree holds its
 * referrers too; both are checked here, before anything runs.
 */
import { REALISTIC_TYPES, realisticSeed } from "../../src/emulator/realistic.js";
import { referencedIds } from "../../src/emulator/references.js";

export interface RealisticDesign {
  worldSize: number;
  manifest: string;
  deleted: number;
  explicitIds: number;
  selectorMatches: number[];
  legacyTypes: string[];
  /** Deleted resources by wave: sensors, devices, gateways (children before parents). */
  waves: string[][];
  withParent: number;
}

export function designRealistic(n: number): RealisticDesign {
  const worldSize = 2 * n;
  const { resources } = realisticSeed(worldSize);
  const children = new Map<string, string[]>();
  for (const r of resources) {
    if (typeof r.parentId !== "string") continue;
    let list = children.get(r.parentId);
    if (!list) children.set(r.parentId, (list = []));
    list.push(r.id);
  }
  const legacyTypes = Object.values(REALISTIC_TYPES).map(([, legacy]) => legacy as string);
  const chosen = new Set<string>();
  const selectorMatches = legacyTypes.map((type) => {
    const matched = resources.filter((r) => r.resourceTypeId === type);
    for (const r of matched) chosen.add(r.id);
    return matched.length;
  });
  if (chosen.size > n) throw new Error(`the legacy types alone hold ${chosen.size} resources, more than ${n}`);

  const explicit: string[] = [];
  const subtree = (id: string): string[] => [id, ...(children.get(id) ?? []).flatMap(subtree)].filter((x) => !chosen.has(x));
  const take = (ids: string[]) => {
    for (const id of ids) chosen.add(id);
    explicit.push(...ids);
  };
  for (const level of ["gateway", "device", "sensor"] as const) {
    for (const r of resources) {
      if (chosen.size === n) break;
      if (r.resourceTypeId !== REALISTIC_TYPES[level][0] || chosen.has(r.id)) continue;
      const ids = subtree(r.id);
      if (chosen.size + ids.length <= n) take(ids);
    }
  }
  if (chosen.size !== n) throw new Error(`could only choose ${chosen.size} of ${n} resources`);

  // What the plan's dependency checks would block on: a child or a referrer left behind.
  const referrers = new Map<string, string[]>();
  for (const r of resources) for (const target of referencedIds(r)) referrers.set(target, [...(referrers.get(target) ?? []), r.id]);
  for (const id of chosen) {
    const left = [...(children.get(id) ?? []), ...(referrers.get(id) ?? [])].filter((d) => !chosen.has(d));
    if (left.length > 0) throw new Error(`${id} would be deleted but ${left.join(", ")} would not: the plan would be blocked`);
  }

  // Height: 0 for what has nothing deleted below it; a parent goes one wave after its highest child.
  const height = new Map<string, number>();
  for (let i = resources.length - 1; i >= 0; i--) {
    const r = resources[i]!;
    if (!chosen.has(r.id)) continue;
    const h = height.get(r.id) ?? 0;
    height.set(r.id, h);
    if (typeof r.parentId === "string" && chosen.has(r.parentId)) height.set(r.parentId, Math.max(height.get(r.parentId) ?? 0, h + 1));
  }
  const waves: string[][] = [];
  for (const [id, h] of height) (waves[h] ??= []).push(id);

  const lines = ["version: 1", "resources:"];
  for (const type of legacyTypes) lines.push("  - select:", `      resourceTypeId: ${type}`);
  for (const id of explicit) lines.push(`  - id: ${id}`);
  lines.push("resourceTypes:", ...legacyTypes.map((t) => `  - id: ${t}`), "guard:", `  maxDeletes: ${n + legacyTypes.length}`);
  return {
    worldSize,
    manifest: `${lines.join("\n")}\n`,
    deleted: n,
    explicitIds: explicit.length,
    selectorMatches,
    legacyTypes,
    waves,
    withParent: resources.filter((r) => typeof r.parentId === "string").length,
  };
}
