/**
 * What a deletion's id is, as every view says it: the name, type and parent
 * the planning lookups found. Names and ids are tenant data: quoted and
 * escaped like ids, so a name cannot move the cursor or pass for another line.
 */
import type { Change } from "../plan/model.js";
import { compareStrings } from "../text/compare.js";
import { quoted } from "../text/escape.js";

/** Longer names are cut here (the plan file keeps them whole): one name must not push the line off the screen. */
export const NAME_SHOWN = 80;

/** `name "Kitchen thermostat", type "legacy-thermostat", parent "gw-7"`; only what the tenant gave; "" for none. */
export function attributesText(change: Pick<Change, "name" | "resourceTypeId" | "parentId">): string {
  const parts: string[] = [];
  if (change.name !== undefined) parts.push(`name ${shownName(change.name)}`);
  if (change.resourceTypeId !== undefined) parts.push(`type ${quoted(change.resourceTypeId)}`);
  if (change.parentId !== undefined) parts.push(`parent ${quoted(change.parentId)}`);
  return parts.join(", ");
}

/** Quoted; past NAME_SHOWN code points, cut and followed by `…` outside the quotes, so the cut is not read as part of the name. */
function shownName(name: string): string {
  const points = Array.from(name);
  return points.length <= NAME_SHOWN ? quoted(name) : `${quoted(points.slice(0, NAME_SHOWN).join(""))}…`;
}

/** Resource deletions per resource type, most first (then by id); `undefined` for resources without a type. */
export function deletionsByType(changes: readonly Change[]): [string | undefined, number][] {
  const counts = new Map<string | undefined, number>();
  for (const c of changes)
    if (c.kind === "resource" && c.action === "delete") counts.set(c.resourceTypeId, (counts.get(c.resourceTypeId) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || (a === undefined ? 1 : b === undefined ? -1 : compareStrings(a, b)));
}
