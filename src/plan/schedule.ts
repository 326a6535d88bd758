/**
 * Orders deletions so that each one can succeed: children before parents at
 * any depth, all resources before resource types. Within a wave, ids with the
 * same cascade set share batches of at most `batchSize` ids. Pure.
 */
import type { CascadeOption } from "../manifest/model.js";
import type { DeleteBatchBody } from "../waylay/wire.js";
import type { Change, LiveFacts, Wave } from "./model.js";
import { compareStrings } from "../text/compare.js";

export function scheduleWaves(changes: readonly Change[], live: LiveFacts, batchSize: number): Wave[] {
  const resources = changes.filter((c) => c.kind === "resource" && c.action === "delete");
  const types = changes.filter((c) => c.kind === "resourceType" && c.action === "delete");
  const waves: Wave[] = [];
  for (const level of levelsByHeight(resources, live)) {
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
 * Groups resources by their height in the deletion set's parent/child forest:
 * leaves first, then their parents, and so on. Resources caught in a parentId
 * cycle (which no order can delete) go last, where the server will report them.
 */
function levelsByHeight(deletes: readonly Change[], live: LiveFacts): Change[][] {
  const inSet = new Map(deletes.map((c) => [c.id, c]));
  const pendingChildren = new Map<string, number>();
  for (const c of deletes) {
    const parent = live.resources.get(c.id)?.parentId;
    if (parent !== undefined && parent !== c.id && inSet.has(parent)) {
      pendingChildren.set(parent, (pendingChildren.get(parent) ?? 0) + 1);
    }
  }
  const height = new Map<string, number>();
  let ready = deletes.filter((c) => !pendingChildren.has(c.id)).map((c) => c.id);
  for (const id of ready) height.set(id, 0);
  while (ready.length > 0) {
    const next: string[] = [];
    for (const id of ready) {
      const parent = live.resources.get(id)?.parentId;
      if (parent === undefined || parent === id || !inSet.has(parent)) continue;
      height.set(parent, Math.max(height.get(parent) ?? 0, (height.get(id) ?? 0) + 1));
      const left = (pendingChildren.get(parent) ?? 0) - 1;
      pendingChildren.set(parent, left);
      if (left === 0) next.push(parent);
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
