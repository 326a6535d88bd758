/** `decom apply [PLAN]`: execute a saved plan exactly, or plan, ask, and execute. */
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { applyPlan } from "../../apply/apply-plan.js";
import { fail } from "../../diagnostics.js";
import { hasChanges, isBlocked, type Plan } from "../../plan/model.js";
import { readPlanFile } from "../../plan/planfile.js";
import { stalenessReasons } from "../../plan/stale.js";
import { writeStateFile } from "../../state/file.js";
import { identityOf } from "../../state/model.js";
import { HELP_OPTION, parseCommandArgs, positiveInt, TENANT_OPTIONS } from "../args.js";
import { confirmApply } from "../confirm.js";
import { DEFAULT_BATCH_SIZE, DEFAULT_PARALLELISM } from "../context.js";
import { useColour, type Io } from "../io.js";
import { planAgainstTenant, readLocalInputs } from "../planning.js";
import { renderApplyEvent, renderApplySummary, renderFailures } from "../views/apply-text.js";
import { describeBlocker } from "../views/blocker-text.js";
import { palette } from "../views/colour.js";
import { renderPlanText } from "../views/plan-text.js";

export const help = `Usage: decom apply [PLAN] [options]

With PLAN (a file from "decom plan --out"), executes exactly that plan, and
refuses if the manifest, the state or the endpoint changed since it was made.
Without PLAN, makes a plan, shows it, and asks for confirmation.

Options:
  -f, --manifest FILE     manifest (default: decom.yaml)
      --state FILE        state file (default: decom.state.json beside the manifest)
      --auto-approve      do not ask for confirmation
      --parallelism N     batches in flight at once within a wave (default: ${DEFAULT_PARALLELISM})
      --endpoint URL      Waylay gateway (default: $WAYLAY_GATEWAY_URL, else https://api.waylay.io)
      --batch-size N      ids per batch request, when planning here (default: ${DEFAULT_BATCH_SIZE})
      --target ID         when planning here: only this id and what it depends on (repeatable)
      --no-color          no colour, even on a terminal

Examples:
  decom apply plan.json
  decom apply --auto-approve
`;

const options = {
  ...TENANT_OPTIONS,
  "auto-approve": { type: "boolean" },
  parallelism: { type: "string" },
  "batch-size": { type: "string" },
  target: { type: "string", multiple: true },
  ...HELP_OPTION,
} as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("apply", args, options, 1);
  const planPath = positionals[0];
  for (const flag of ["batch-size", "target"] as const) {
    if (planPath !== undefined && values[flag] !== undefined) {
      fail("usage.conflict", `decom apply: --${flag} has no effect with a saved plan; it was fixed when the plan was made`);
    }
  }
  const parallelism = positiveInt("apply", "--parallelism", values.parallelism, DEFAULT_PARALLELISM);
  const batchSize = positiveInt("apply", "--batch-size", values["batch-size"], DEFAULT_BATCH_SIZE);
  const p = palette(useColour(io, values["no-color"]));
  const inputs = readLocalInputs(io, values);

  let plan: Plan;
  if (planPath !== undefined) {
    plan = readPlanFile(resolve(io.cwd, planPath));
    const reasons = stalenessReasons(plan, {
      endpoint: inputs.endpoint,
      manifestSha256: inputs.manifest.sha256,
      state: identityOf(inputs.state),
    });
    if (reasons.length > 0) {
      fail("plan.stale", `${planPath} is stale and was not applied: ${reasons.join("; ")}. Make a new plan with: decom plan --out ${planPath}`);
    }
    if (isBlocked(plan)) {
      fail("plan.blocked", `${planPath} is blocked and was not applied: ${plan.blockers.map((b) => describeBlocker(b)).join("; ")}`);
    }
  } else {
    // Checked before planning, so that a CI job without a terminal fails at once rather than hang.
    if (!values["auto-approve"] && !io.stdin.isTTY) {
      fail(
        "apply.needs-approval",
        "decom apply: not asking for confirmation without a terminal; pass --auto-approve, or apply a reviewed plan: decom plan --out plan.json && decom apply plan.json",
      );
    }
    plan = await planAgainstTenant(inputs, batchSize, values.target ?? []);
    io.stdout.write(renderPlanText(plan, p));
    if (isBlocked(plan)) return 1;
    if (!hasChanges(plan)) return 0;
    if (!values["auto-approve"]) {
      if (!(await confirmApply(io))) {
        io.stdout.write("Apply cancelled. Nothing was changed.\n");
        return 1;
      }
    }
  }
  if (!hasChanges(plan)) {
    io.stdout.write("No changes in the plan. Nothing to apply.\n");
    return 0;
  }

  const result = await applyPlan(
    plan,
    inputs.state,
    {
      api: inputs.api,
      now: () => new Date(),
      newLineage: randomUUID,
      writeState: (state) => writeStateFile(inputs.paths.stateAbsolute, state),
    },
    {
      parallelism,
      onEvent: (event) => {
        const line = renderApplyEvent(event, p);
        if (line !== undefined) io.stdout.write(line + "\n");
      },
    },
  );
  io.stdout.write(renderFailures(result.failures));
  io.stdout.write(renderApplySummary(result.totals, result.forgotten, p));
  io.stdout.write(`State written to ${inputs.paths.state}.\n`);
  return result.totals.failed > 0 ? 1 : 0;
}
