/**
 * Manifest + state + live facts → plan, in two pure steps around the one
 * question that needs the changes first (what depends on the deletion set):
 * `planChanges`, then the caller gathers outside dependents, then `assemblePlan`.
 */
import { fail } from "../diagnostics.js";
import type { Manifest } from "../manifest/model.js";
import { identityOf, type State } from "../state/model.js";
import { escaped } from "../text/escape.js";
import { findBlockers } from "./blockers.js";
import { diffChanges } from "./diff.js";
import { PLAN_FORMAT_VERSION, type Change, type LiveFacts, type OutsideDependents, type Plan } from "./model.js";
import { scheduleWaves } from "./schedule.js";
import { parseTarget, targetedChanges } from "./target.js";

export interface ChangeInputs {
  manifest: Manifest;
  state: State | null;
  live: LiveFacts;
  /** `--target` values; empty for a full plan. */
  targets: readonly string[];
}

export function planChanges({ manifest, state, live, targets }: ChangeInputs): Change[] {
  const changes = diffChanges(manifest, state, live);
  if (targets.length === 0) return changes;
  const parsed = targets.map(parseTarget);
  for (const target of parsed) {
    const named =
      changes.some((c) => c.id === target.id && (!target.kind || c.kind === target.kind)) ||
      ((!target.kind || target.kind === "resource") &&
        (manifest.resources.some((r) => r.id === target.id) || state?.resource.has(target.id))) ||
      ((!target.kind || target.kind === "resourceType") &&
        (manifest.resourceTypes.some((t) => t.id === target.id) || state?.resourceType.has(target.id)));
    if (!named)
      fail(
        "plan.unknown-target",
        `--target ${target.kind ? `${target.kind}:` : ""}${escaped(target.id)}: not in the manifest, the selectors' matches, or the state`,
      );
  }
  return targetedChanges(changes, parsed, live);
}

export interface PlanInputs extends ChangeInputs {
  changes: Change[];
  outside: OutsideDependents;
  endpoint: string;
  batchSize: number;
  decomVersion: string;
}

export function assemblePlan(inputs: PlanInputs): Plan {
  const { manifest, state, live, changes, outside, endpoint, batchSize, decomVersion, targets } = inputs;
  const blockers = findBlockers(changes, outside, manifest, state?.inFlight ?? []);
  // Keys in sorted order: the plan file is written without copying (see files/canonical-json.ts).
  return {
    batchSize,
    blockers,
    changes,
    decomVersion,
    endpoint,
    formatVersion: PLAN_FORMAT_VERSION,
    manifest: { sha256: manifest.sha256 },
    selectors: manifest.selectors.map((s) => ({ entry: s.entry, matched: live.matches.get(s.entry)?.length ?? 0 })),
    state: identityOf(state),
    targets: [...targets].sort(),
    // A blocked plan is kept for review but holds nothing to execute.
    waves: blockers.length > 0 ? [] : scheduleWaves(changes, batchSize, outside.referrersInPlan),
  };
}
