/**
 * Orders deletions so that each one can succeed: children before parents at
 * any depth (each deletion carries its parent as the lookups found it), a
 * resource that refers to another (when referrers were checked)
 * before the one it refers to, all resources before resource types. Within a wave, ids with the
 * same cascade set share batches of at most `batchSize` ids. Pure.
 */
import type { CascadeOption } from "../manifest/model.js";
import type { DeleteBatchBody } from "../waylay/wire.js";
import type { Change, Wave } from "./model.js";
import { compareStrings } from "../text/compare.js";

export function scheduleWaves(
  changes: readonly Change[],
  batchSize: number,
  /** Resource id → the resources in the plan that refer to it (from --check-referrers; empty without it). */
  referrersInPlan: ReadonlyMap<string, readonly string[]> = new Map(),
): Wave[] {
  const resources = changes.filter((c) => c.kind === "resource" && c.action === "delete");
  const types = changes.filter((c) => c.kind === "resourceType" && c.action === "delete");
  const waves: Wave[] = [];
  for (const level of levelsByHeight(resources, referrersInPlan)) {
    waves.push({ batches: resourceBatches(level, batchSize), kind: "resource" });
  }
  if (types.length > 0) {
    const ids = types.map((c) => c.id).sort(compareStrings);
    waves.push({
      batches: chunk(ids, batchSize).map((chunkIds) => ({ body: { action: "delete", entity: "resourcetype", query: { ids: chunkIds } } })),
      kind: "resourceType",
    });
  }
  return waves;
}

/**
 * Groups resources by their height in the graph of what must go first: a
 * child before its parent, a referrer before what it refers to. Leaves first,
 * then what waited only on them, and so on. Resources caught in a cycle (a
 * parentId loop, resources that refer to each other), which no order can
 * delete, go last, where the server reports them.
 */
function levelsByHeight(deletes: readonly Change[], referrersInPlan: ReadonlyMap<string, readonly string[]>): Change[][] {
  // Made at the first pair to order: on a tenant without parents (and without referrers) there is none.
  let inSet: Set<string> | undefined;
  // id → what may go only after it (its parent, what it refers to), and how many each still waits on.
  const after = new Map<string, Set<string>>();
  const waitingOn = new Map<string, number>();
  const mustPrecede = (first: string, then: string) => {
    if (first === then) return;
    inSet ??= new Set(deletes.map((c) => c.id));
    if (!inSet.has(first) || !inSet.has(then)) return;
    let later = after.get(first);
    if (!later) after.set(first, (later = new Set()));
    if (later.has(then)) return;
    later.add(then);
    waitingOn.set(then, (waitingOn.get(then) ?? 0) + 1);
  };
  for (const c of deletes) {
    if (c.parentId !== undefined) mustPrecede(c.id, c.parentId);
    for (const referrer of referrersInPlan.get(c.id) ?? []) mustPrecede(referrer, c.id);
  }
  // Nothing waits on anything: one level, every deletion in it.
  if (after.size === 0) return deletes.length > 0 ? [[...deletes]] : [];
  const height = new Map<string, number>();
  let ready = deletes.filter((c) => !waitingOn.has(c.id)).map((c) => c.id);
  for (const id of ready) height.set(id, 0);
  while (ready.length > 0) {
    const next: string[] = [];
    for (const id of ready) {
      for (const then of after.get(id) ?? []) {
        height.set(then, Math.max(height.get(then) ?? 0, (height.get(id) ?? 0) + 1));
        const left = (waitingOn.get(then) ?? 0) - 1;
        waitingOn.set(then, left);
        if (left === 0) next.push(then);
      }
    }
    ready = next;
  }
  const levels: Change[][] = [];
  let cycleLevel = 0;
  for (const h of height.values()) cycleLevel = Math.max(cycleLevel, h + 1);
  for (const c of deletes) {
    const level = height.get(c.id) ?? cycleLevel;
    (levels[level] ??= []).push(c);
  }
  return levels.filter((level) => level.length > 0);
}

function resourceBatches(level: readonly Change[], batchSize: number): { body: DeleteBatchBody }[] {
  const byCascade = new Map<string, { cascade: CascadeOption[]; ids: string[] }>();
  for (const c of level) {
    const cascade = c.cascade ?? [];
    const key = cascade.join(",");
    let group = byCascade.get(key);
    if (!group) byCascade.set(key, (group = { cascade, ids: [] }));
    group.ids.push(c.id);
  }
  const groups = [...byCascade.entries()].sort(([a], [b]) => compareStrings(a, b));
  return groups.flatMap(([, group]) =>
    chunk(group.ids.sort(compareStrings), batchSize).map((ids) => ({
      body: { action: "delete", actionParameters: { cascade: group.cascade }, entity: "resource", query: { ids } },
    })),
  );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
