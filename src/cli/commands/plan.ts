/** `decom plan`: compare the manifest with the state and the tenant; print, and optionally save, the plan. */
import { applyCommand } from "../apply-command.js";
import { InterruptedError } from "../../operations/interrupted.js";
import { plan as makePlan } from "../../operations/plan.js";
import { DEFAULT_BATCH_SIZE, resolvePaths } from "../../operations/workspace.js";
import { archivePathFor } from "../../archive/model.js";
import { hasChanges, isBlocked, type Plan } from "../../plan/model.js";
import type { PlanWarning } from "../../plan/warnings.js";
import {
  HELP_OPTION,
  LOCK_HELP,
  LOCK_OPTIONS,
  parseCommandArgs,
  positiveInt,
  TENANT_HELP,
  TENANT_OPTIONS,
  TIMEOUT_HELP,
  TIMEOUT_OPTIONS,
} from "../args.js";
import { tenantOptions } from "../tenant-options.js";
import { outputOf, useColour, type Io } from "../io.js";
import { planView } from "../../views/commands/plan-view.js";

export const help = `Usage: decom plan [options]

Compares the manifest with the state file and the live tenant, and shows what
apply would do. Nothing is deleted. If an earlier apply was interrupted, its
batches in flight are first followed to their end and recorded in the state.

Options:
      --out FILE          save the plan, for review and for "decom apply FILE"
      --detailed-exitcode exit 0 when there are no changes, 2 when there are, 1 on error
      --batch-size N      ids per batch request (default: ${DEFAULT_BATCH_SIZE})
      --target ID         plan only this id and what it depends on (repeatable;
                          resource:ID or resourceType:ID when an id is both)
      --check-referrers   also block on resources outside the plan that refer
                          to one it deletes (a $ref in their metadata): one
                          request per resource to delete, 4 at once
${TENANT_HELP}
${LOCK_HELP}
${TIMEOUT_HELP}

Examples:
  decom plan
  decom plan -f retire-2026-q4.yaml --out plan.json
  decom plan --target gw-namur-01 --out plan.json
  decom plan --profile production --json > plan.jsonl

A plan that would fail or do harm (children or resources of a type left
outside it, with --check-referrers resources outside it that refer to one it
deletes, protected ids, more deletions than guard.maxDeletes) is blocked:
it exits 1 and sends nothing. The plan is printed on stdout, its blockers and
warnings on stderr. With --out it is still saved, so a pull request can show
why; apply refuses it.

Warnings do not block the plan: an id named by "- id:" that is not on the
tenant and not in the state (a typo? it is planned as already absent), with
its manifest line; and a manifest with no guard.maxDeletes.
`;

export const options = {
  ...TENANT_OPTIONS,
  ...TIMEOUT_OPTIONS,
  ...LOCK_OPTIONS,
  out: { type: "string" },
  "detailed-exitcode": { type: "boolean" },
  "batch-size": { type: "string" },
  target: { type: "string", multiple: true },
  "check-referrers": { type: "boolean" },
  ...HELP_OPTION,
} as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("plan", args, options, 0);
  const view = planView(outputOf(io), { json: values.json === true, colour: useColour(io, values["no-color"]) });
  let plan: Plan;
  let warnings: PlanWarning[] = [];
  try {
    plan = await makePlan({
      ...tenantOptions("plan", values, io),
      batchSize: positiveInt("plan", "--batch-size", values["batch-size"], DEFAULT_BATCH_SIZE),
      targets: values.target ?? [],
      checkReferrers: values["check-referrers"] === true,
      out: values.out,
      stop: io.interrupts?.().stop,
      onRecovered: (r) => view.recovered(r),
      onPlanWarnings: (w) => (warnings = w),
    });
  } catch (err) {
    if (!(err instanceof InterruptedError)) throw err;
    view.interrupted();
    return 130;
  }
  const archive = archivePathFor(resolvePaths(io.cwd, values.manifest, values.state).state);
  view.plan(plan, values.out, warnings, {
    ...(values.out !== undefined ? { applyCommand: applyCommand(values.out, values) } : {}),
    archive,
  });
  if (isBlocked(plan)) return 1;
  return values["detailed-exitcode"] && hasChanges(plan) ? 2 : 0;
}
