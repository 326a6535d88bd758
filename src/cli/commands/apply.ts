/** `decom apply [PLAN]`: execute a saved plan exactly, or plan, ask, and execute. */
import { resolve } from "node:path";
import { applyPlan } from "../../apply/apply-plan.js";
import type { ExecuteOptions } from "../../apply/execute.js";
import { fail } from "../../diagnostics.js";
import { hasChanges, isBlocked, type Plan } from "../../plan/model.js";
import { readPlanFile } from "../../plan/planfile.js";
import { stalenessReasons } from "../../plan/stale.js";
import { identityOf } from "../../state/model.js";
import type { StateSession } from "../../state/session.js";
import { count } from "../../text/plural.js";
import { HELP_OPTION, parseCommandArgs, positiveInt, TENANT_OPTIONS, TIMEOUT_HELP, TIMEOUT_OPTIONS, timeouts } from "../args.js";
import { confirmApply } from "../confirm.js";
import { DEFAULT_BATCH_SIZE, DEFAULT_PARALLELISM } from "../context.js";
import { useColour, type Io } from "../io.js";
import { aborted, INTERRUPTED, lockAndOpenState, planAgainstTenant, readLocalInputs, resumeInterrupted, type LocalInputs } from "../planning.js";
import { renderApplyEvent, renderApplySummary, renderFailures } from "../views/apply-text.js";
import { describeBlocker } from "../views/blocker-text.js";
import { palette, type Palette } from "../views/colour.js";
import { planTextPieces } from "../views/plan-text.js";

export const help = `Usage: decom apply [PLAN] [options]

With PLAN (a file from "decom plan --out"), executes exactly that plan, and
refuses if the manifest, the state or the endpoint changed since it was made.
Without PLAN, makes a plan, shows it, and asks for confirmation.

Every step is journaled before it is taken (<state>.journal), and the state is
locked while apply runs (<state>.lock). Ctrl-C once: no new batches; those in
flight are followed to their end and recorded; exit 130. Ctrl-C twice: stop at
once; the state records what is still in flight, and the next apply or plan
follows it.

Options:
  -f, --manifest FILE     manifest (default: decom.yaml)
      --state FILE        state file (default: decom.state.json beside the manifest)
      --auto-approve      do not ask for confirmation
      --parallelism N     batches in flight at once within a wave (default: ${DEFAULT_PARALLELISM})
      --endpoint URL      Waylay gateway (default: $WAYLAY_GATEWAY_URL, else https://api.waylay.io)
      --batch-size N      ids per batch request, when planning here (default: ${DEFAULT_BATCH_SIZE})
      --target ID         when planning here: only this id and what it depends on (repeatable)
${TIMEOUT_HELP}
      --no-color          no colour, even on a terminal

Examples:
  decom apply plan.json
  decom apply --auto-approve
`;

const options = {
  ...TENANT_OPTIONS,
  ...TIMEOUT_OPTIONS,
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
  const limits = timeouts("apply", values);
  const p = palette(useColour(io, values["no-color"]));
  const inputs = readLocalInputs(io, values, limits.requestTimeoutMs);
  // Checked before anything else, so that a CI job without a terminal fails at once rather than hang.
  if (planPath === undefined && !values["auto-approve"] && !io.stdin.isTTY) {
    fail(
      "apply.needs-approval",
      "decom apply: not asking for confirmation without a terminal; pass --auto-approve, or apply a reviewed plan: decom plan --out plan.json && decom apply plan.json",
    );
  }

  const interrupts = io.interrupts?.();
  const { session, release } = lockAndOpenState(io, inputs, `decom apply${planPath ? ` ${planPath}` : ""}`);
  try {
    interrupts?.stop.addEventListener("abort", () =>
      io.stderr.write("\nInterrupt: submitting no more batches; following those in flight to their end. Ctrl-C again to stop at once.\n"),
    );
    const execute: ExecuteOptions = {
      parallelism,
      now: () => new Date(),
      ...limits,
      stop: interrupts?.stop,
      halt: interrupts?.halt,
      onEvent: (event) => {
        const line = renderApplyEvent(event, p);
        if (line !== undefined) io.stdout.write(line + "\n");
      },
    };
    const work = applyCommand(io, inputs, session, execute, { planPath, autoApprove: values["auto-approve"] === true, batchSize, targets: values.target ?? [], p });
    const outcome = await Promise.race([work, aborted(interrupts?.halt)]);
    if (outcome !== INTERRUPTED) return outcome;
    work.catch(() => {});
    const inFlight = session.inFlightBatches();
    session.compact();
    session.close();
    io.stderr.write(
      `Stopped at once. ${inFlight.length > 0 ? `${count(inFlight.length, "batch", "batches")} still in flight ${inFlight.length === 1 ? "is" : "are"} recorded in ${inputs.paths.state}; the next decom apply or plan follows them to their end.` : "Nothing was in flight."}\n`,
    );
    return 130;
  } finally {
    release();
  }
}

interface ApplyChoices {
  planPath: string | undefined;
  autoApprove: boolean;
  batchSize: number;
  targets: string[];
  p: Palette;
}

async function applyCommand(io: Io, inputs: LocalInputs, session: StateSession, execute: ExecuteOptions, choices: ApplyChoices): Promise<number> {
  const { planPath, p } = choices;
  await resumeInterrupted(io, inputs, session, execute);
  if (execute.stop?.aborted) return 130;

  let plan: Plan;
  if (planPath !== undefined) {
    plan = readPlanFile(resolve(io.cwd, planPath));
    const reasons = stalenessReasons(plan, {
      endpoint: inputs.endpoint,
      manifestSha256: inputs.manifest.sha256,
      state: identityOf(session.current),
    });
    if (reasons.length > 0) {
      fail("plan.stale", `${planPath} is stale and was not applied: ${reasons.join("; ")}. Make a new plan with: decom plan --out ${planPath}`);
    }
    if (isBlocked(plan)) {
      fail("plan.blocked", `${planPath} is blocked and was not applied: ${plan.blockers.map((b) => describeBlocker(b)).join("; ")}`);
    }
  } else {
    plan = await planAgainstTenant(inputs, session, choices.batchSize, choices.targets);
    for (const piece of planTextPieces(plan, p)) io.stdout.write(piece);
    if (isBlocked(plan)) return 1;
    if (!hasChanges(plan)) return 0;
    if (!choices.autoApprove && !(await confirmApply(io, execute.stop))) {
      io.stdout.write("Apply cancelled. Nothing was changed.\n");
      return 1;
    }
  }
  if (!hasChanges(plan)) {
    io.stdout.write("No changes in the plan. Nothing to apply.\n");
    return 0;
  }

  const result = await applyPlan(plan, session, inputs.api, execute);
  session.compact();
  const interrupted = execute.stop?.aborted === true;
  io.stdout.write(renderFailures(result.failures));
  io.stdout.write(renderApplySummary(result, interrupted, p));
  io.stdout.write(`State written to ${inputs.paths.state}.\n`);
  if (interrupted) return 130;
  return result.failed > 0 || result.inFlight > 0 || result.notSubmitted > 0 ? 1 : 0;
}
