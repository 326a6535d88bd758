/**
 * What `apply PLAN` checks before its first request, so that a saved plan
 * edited after review (by hand, or by a merge conflict resolved in the pull
 * request) deletes nothing the manifest does not call for: the plan is what
 * `plan` wrote (digest, batches = deletions), every change comes from an entry
 * the current manifest holds, with that entry's cascade, and protect and
 * guard.maxDeletes hold. The rules are the planner's own (`manifestNaming`,
 * `policyBlockers`), not copies of them. Pure.
 */
import { error, type Diagnostic } from "../diagnostics.js";
import { EXPLICIT_ENTRY, isSelectorEntry, type CascadeOption, type Manifest } from "../manifest/model.js";
import type { WaylayApi } from "../waylay/client.js";
import { policyBlockers } from "./blockers.js";
import { matchSelectors } from "./gather-facts.js";
import type { Blocker, Change, Plan } from "./model.js";
import { quoted } from "../text/escape.js";
import { integrityProblems } from "./planfile.js";
import { manifestNaming, type ManifestNaming } from "./wanted.js";

/** Past this many problems, the rest are counted, not listed: one edit can touch thousands of ids. */
const MAX_LISTED = 20;

export interface VerifyOptions {
  /** How messages name the plan (its path, or "the plan"). */
  planShown: string;
  /** One sentence per blocker, from the views. */
  describeBlocker: (blocker: Blocker) => string;
}

export function verifySavedPlan(plan: Plan, manifest: Manifest, options: VerifyOptions): Diagnostic[] {
  const { planShown } = options;
  const problems = integrityProblems(plan, planShown);
  const naming = manifestNaming(manifest);
  for (const change of plan.changes) {
    const problem = entryProblem(change, naming, manifest.path);
    if (problem) problems.push(error("plan.not-in-manifest", `${planShown}: ${problem}`));
  }
  for (const blocker of policyBlockers(plan.changes, manifest)) {
    problems.push(error("plan.policy", `${planShown}: ${options.describeBlocker(blocker)} (${manifest.path})`));
  }
  return capped(problems, planShown);
}

function capped(problems: Diagnostic[], planShown: string): Diagnostic[] {
  if (problems.length <= MAX_LISTED) return problems;
  const more = problems.length - MAX_LISTED;
  return [...problems.slice(0, MAX_LISTED), error("plan.more-problems", `${planShown}: and ${more} more problem${more === 1 ? "" : "s"}`)];
}

/** Why `change` is not one the planner could have made from this manifest, or undefined. */
function entryProblem(change: Change, naming: ManifestNaming, manifestPath: string): string | undefined {
  const what = `${change.kind} ${quoted(change.id)}`;
  const verb = change.action === "delete" ? "deletes" : change.action === "absent" ? "records as absent" : "forgets";
  if (change.kind === "resourceType") {
    const named = naming.resourceTypes.has(change.id);
    if (change.action === "forget") return named ? `forgets ${what}, which ${manifestPath} lists under resourceTypes` : undefined;
    if (change.entry !== EXPLICIT_ENTRY) return `${verb} ${what} for entry ${quoted(change.entry)}; resource types are named only by id`;
    if (!named) return `${verb} ${what}, which ${manifestPath} does not list under resourceTypes`;
    if (change.cascade !== undefined) return `${verb} ${what} with a cascade; resource types have none`;
    return undefined;
  }
  const explicit = naming.resources.get(change.id);
  if (change.action === "forget") {
    if (explicit !== undefined) return `forgets ${what}, which ${manifestPath} names`;
    if (isSelectorEntry(change.entry) && naming.selectors.has(change.entry)) return `forgets ${what}, whose selector ${manifestPath} still holds`;
    return undefined;
  }
  let cascade: CascadeOption[] | undefined;
  if (change.entry === EXPLICIT_ENTRY) {
    if (explicit === undefined) return `${verb} ${what}, which ${manifestPath} does not name`;
    cascade = explicit;
  } else {
    cascade = naming.selectors.get(change.entry);
    if (cascade === undefined) return `${verb} ${what} for selector ${quoted(change.entry)}, which ${manifestPath} does not contain`;
    if (explicit !== undefined) return `${verb} ${what} for a selector, but ${manifestPath} names it by id`;
  }
  if (change.action !== "delete") return undefined;
  const planned = (change.cascade ?? []).join(", ") || "none";
  const wanted = cascade.join(", ") || "none";
  return planned === wanted ? undefined : `${verb} ${what} with cascade ${planned}; ${manifestPath} gives it ${wanted}`;
}

/**
 * Whether each resource the plan deletes for a selector is matched by that
 * selector on the tenant now. The digest tells an edit, not an edit whose
 * digest was recomputed, and nothing in the file can prove a selector matched
 * an id: the tenant can. One paged listing per selector, as planning made; an
 * id that no longer matches (an edit, or a resource changed since) is refused.
 */
export async function selectorProblems(plan: Plan, manifest: Manifest, api: WaylayApi, planShown: string): Promise<Diagnostic[]> {
  const planned = new Map<string, string[]>();
  for (const c of plan.changes) {
    if (c.action !== "delete" || c.kind !== "resource" || !isSelectorEntry(c.entry)) continue;
    let ids = planned.get(c.entry);
    if (!ids) planned.set(c.entry, (ids = []));
    ids.push(c.id);
  }
  const selectors = manifest.selectors.filter((s) => planned.has(s.entry));
  if (selectors.length === 0) return [];
  const matched = await matchSelectors(selectors, api);
  const problems: Diagnostic[] = [];
  selectors.forEach((selector, index) => {
    const now = new Set((matched[index] ?? []).map((r) => r.id));
    for (const id of planned.get(selector.entry) ?? []) {
      if (now.has(id)) continue;
      problems.push(error("plan.not-matched", `${planShown}: deletes resource ${quoted(id)} for selector ${quoted(selector.entry)}, which does not match it on the tenant now`));
    }
  });
  return capped(problems, planShown);
}
