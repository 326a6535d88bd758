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
import type { Blocker, Change, LiveFacts, Plan } from "./model.js";
import { quoted } from "../text/escape.js";
import { count } from "../text/plural.js";
import { integrityProblems } from "./planfile.js";
import { manifestNaming, wantedResources, type ManifestNaming } from "./wanted.js";

/** Past this many problems, the rest are counted, not listed: one edit can touch thousands of ids. */
const MAX_LISTED = 20;

export interface VerifyOptions {
  /** How messages name the plan (its path, or "the plan"). */
  planShown: string;
  /** One sentence per blocker, from the views, naming the manifest file where the blocker's entry is written. */
  describeBlocker: (blocker: Blocker, manifestPath: string) => string;
  /** The plan's text showed its digest to hold (`readPlanFile`): it need not be checked again. */
  digestHolds?: boolean;
}

export function verifySavedPlan(plan: Plan, manifest: Manifest, options: VerifyOptions): Diagnostic[] {
  const { planShown } = options;
  const problems = integrityProblems(plan, planShown, options.digestHolds);
  const naming = manifestNaming(manifest);
  for (const change of plan.changes) {
    const problem = entryProblem(change, naming, manifest.path);
    if (problem) problems.push(error("plan.not-in-manifest", `${planShown}: ${problem}`));
  }
  for (const blocker of policyBlockers(plan.changes, manifest)) {
    const sentence = options.describeBlocker(blocker, manifest.path);
    problems.push(
      error("plan.policy", `${planShown}: ${"source" in blocker && blocker.source ? sentence : `${sentence} (${manifest.path})`}`),
    );
  }
  return capped(problems, planShown);
}

function capped(problems: Diagnostic[], planShown: string): Diagnostic[] {
  if (problems.length <= MAX_LISTED) return problems;
  const more = problems.length - MAX_LISTED;
  return [...problems.slice(0, MAX_LISTED), error("plan.more-problems", `${planShown}: and ${count(more, "more problem")}`)];
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
    if (isSelectorEntry(change.entry) && naming.selectors.has(change.entry))
      return `forgets ${what}, whose selector ${manifestPath} still holds`;
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
 * Whether each resource the plan deletes for a selector is credited as the
 * planner credits it now: the first selector in the manifest that matches it
 * on the tenant (so its cascade is that selector's). The digest tells an edit,
 * not an edit whose digest was recomputed, and nothing in the file can prove
 * a selector matched an id: the tenant can. One paged listing per selector, as
 * planning made; an id no selector matches now (an edit, or a resource changed
 * since) or credited to another selector is refused.
 */
export async function selectorProblems(
  plan: Plan,
  manifest: Manifest,
  api: WaylayApi,
  planShown: string,
  /**
   * When continuing the plan's own apply (continue.ts): an id its selector no
   * longer matches because it no longer exists (deleted meanwhile, by anyone)
   * is no problem; its deletion settles as absent. Looked up in bulk.
   */
  goneIsSettled = false,
): Promise<Diagnostic[]> {
  const planned = plan.changes.filter((c) => c.action === "delete" && c.kind === "resource" && isSelectorEntry(c.entry));
  if (planned.length === 0) return [];
  // Each selector's pages at once, as many as it matched when the plan was made (more are followed if there are more
  // now); not when continuing an apply, whose deletions have made the matches fewer.
  // The plan file says how many; anyone can edit it, so never more than the deletions it holds under that selector
  // (a hand-written `matched: 1e12` would otherwise have apply ask a billion pages before refusing the plan).
  const plannedUnder = new Map<string, number>();
  for (const c of planned) plannedUnder.set(c.entry, (plannedUnder.get(c.entry) ?? 0) + 1);
  const recorded = new Map(plan.selectors.map((s) => [s.entry, Math.min(s.matched, plannedUnder.get(s.entry) ?? 0)]));
  const matched = await matchSelectors(manifest.selectors, api, undefined, goneIsSettled ? undefined : (entry) => recorded.get(entry));
  const live: LiveFacts = { resources: new Map(), resourceTypes: new Map(), matches: new Map() };
  manifest.selectors.forEach((s, index) => {
    live.matches.set(
      s.entry,
      (matched[index] ?? []).map((r) => r.id),
    );
  });
  const credited = wantedResources(manifest, live);
  const unmatched = planned.filter((c) => !credited.has(c.id)).map((c) => c.id);
  const existing = goneIsSettled && unmatched.length > 0 ? new Set((await api.findResources(unmatched)).map((r) => r.id)) : undefined;
  const problems: Diagnostic[] = [];
  for (const change of planned) {
    if (existing !== undefined && !credited.has(change.id) && !existing.has(change.id)) continue;
    const now = credited.get(change.id)?.entry;
    if (now === EXPLICIT_ENTRY) continue; // named by id: entryProblem says so
    const what = `deletes resource ${quoted(change.id)} for selector ${quoted(change.entry)}`;
    if (now === undefined || !isSelectorEntry(now))
      problems.push(error("plan.not-matched", `${planShown}: ${what}, which does not match it on the tenant now`));
    else if (now !== change.entry)
      problems.push(
        error("plan.not-matched", `${planShown}: ${what}; the first selector in ${manifest.path} that matches it is ${quoted(now)}`),
      );
  }
  return capped(problems, planShown);
}
