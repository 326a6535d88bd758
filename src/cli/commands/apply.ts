/** `decom apply [PLAN]`: execute a saved plan exactly, or plan, ask, and execute. */
import { applyCommand } from "../apply-command.js";
import { apply, type ApplyOutcome } from "../../operations/apply.js";
import { DEFAULT_BATCH_SIZE, DEFAULT_PARALLELISM } from "../../operations/workspace.js";
import { fail } from "../../diagnostics.js";
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
import { confirmApply } from "../confirm.js";
import { tenantOptions } from "../tenant-options.js";
import { canRedraw, outputOf, useColour, type Io } from "../io.js";
import { applyView } from "../../views/commands/apply-view.js";

export const help = `Usage: decom apply [PLAN] [options]

With PLAN (a file from "decom plan --out"), executes exactly that plan, and
refuses if the manifest, the state or the endpoint changed since it was made.
Without PLAN, makes a plan, shows it, and asks for confirmation (only "yes"
proceeds); without a terminal, or with --json, it refuses unless given
--auto-approve.

Every step is journaled before it is taken (<state>.journal), and the state is
locked while apply runs (<state>.lock). Ctrl-C once: no new batches; those in
flight are followed to their end and recorded; exit 130. Ctrl-C twice: stop at
once; the state records what is still in flight, and the next apply or plan
follows it.

Options:
      --auto-approve      do not ask for confirmation
      --parallelism N     batches in flight at once within a wave, at most: fewer
                          while the tenant answers 429 (default: ${DEFAULT_PARALLELISM})
      --quiet             no progress; only problems and the summary; without
                          PLAN, the plan shown before going ahead is only its
                          totals and blockers, not every id
      --batch-size N      ids per batch request, when planning here (default: ${DEFAULT_BATCH_SIZE})
      --target ID         when planning here: only this id and what it depends on (repeatable)
      --check-referrers   when planning here: as "decom plan --check-referrers",
                          --parallelism requests at once
      --no-archive        do not archive the documents deleted (by default each
                          one is written to the archive beside the state,
                          X.archive.jsonl, before its batch is sent, for
                          decom restore)
${TENANT_HELP}
${LOCK_HELP}
${TIMEOUT_HELP}

Examples:
  decom apply plan.json
  decom apply --auto-approve
  decom apply plan.json --json --quiet
`;

export const options = {
  ...TENANT_OPTIONS,
  ...TIMEOUT_OPTIONS,
  ...LOCK_OPTIONS,
  "auto-approve": { type: "boolean" },
  parallelism: { type: "string" },
  quiet: { type: "boolean" },
  "batch-size": { type: "string" },
  target: { type: "string", multiple: true },
  "check-referrers": { type: "boolean" },
  "no-archive": { type: "boolean" },
  ...HELP_OPTION,
} as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("apply", args, options, 1);
  const planPath = positionals[0];
  for (const flag of ["batch-size", "target", "check-referrers"] as const) {
    if (planPath !== undefined && values[flag] !== undefined) {
      fail("usage.conflict", `decom apply: --${flag} has no effect with a saved plan; it was fixed when the plan was made`);
    }
  }
  const json = values.json === true;
  const view = applyView(outputOf(io), {
    json,
    colour: useColour(io, values["no-color"]),
    tty: canRedraw(io),
    quiet: values.quiet === true,
  });
  const needsQuestion = planPath === undefined && !values["auto-approve"];
  // Every flag's value is checked first: a wrong one is the error to report, whatever else is wrong.
  const tenant = tenantOptions("apply", values, io);
  const parallelism = positiveInt("apply", "--parallelism", values.parallelism, DEFAULT_PARALLELISM);
  const batchSize = positiveInt("apply", "--batch-size", values["batch-size"], DEFAULT_BATCH_SIZE);
  // Then, before anything else, so that a CI job fails at once rather than hang.
  if (needsQuestion && (json || !io.stdin.isTTY)) {
    fail(
      "apply.needs-approval",
      `decom apply: not asking for confirmation ${json ? "with --json" : "without a terminal"}; ` +
        "pass --auto-approve, or apply a reviewed plan: decom plan --out plan.json && decom apply plan.json",
    );
  }
  const interrupts = io.interrupts?.();
  // Until the first batch event, nothing has been sent: an interrupt then cancels the apply outright.
  let sending = false;
  // Once apply has returned there is nothing left to interrupt (a reader found gone at the summary).
  let finished = false;
  interrupts?.stop.addEventListener("abort", () => {
    if (!finished) view.stopping(sending);
  });

  let outcome: ApplyOutcome;
  try {
    outcome = await apply({
      ...tenant,
      plan: planPath,
      parallelism,
      batchSize,
      targets: values.target ?? [],
      checkReferrers: values["check-referrers"] === true,
      archive: values["no-archive"] !== true,
      stop: interrupts?.stop,
      halt: interrupts?.halt,
      approve: needsQuestion ? () => confirmApply(io, interrupts?.stop) : () => shown(io),
      onPlan: (plan) => view.plan(plan),
      onPlanWarnings: (warnings) => view.warnings(warnings),
      onRecovered: (r) => view.recovered(r),
      onContinue: (c) => view.continuing(c, planPath ?? "the plan"),
      onEvent: (event) => {
        sending = true;
        view.event(event);
      },
    });
  } finally {
    finished = true;
    view.close();
  }
  view.outcome(outcome, planPath, planPath === undefined ? undefined : applyCommand(planPath, values));
  return exitCode(outcome);
}

/** 0 when every id ended deleted or absent (or there was nothing to do); 130 after Ctrl-C; else 1. */
function exitCode(outcome: ApplyOutcome): number {
  switch (outcome.status) {
    case "applied": {
      const { result } = outcome;
      if (outcome.interrupted) return 130;
      const failedBefore = outcome.continued?.failedBefore ?? 0;
      return result.failed + failedBefore > 0 || result.inFlight > 0 || result.notSubmitted > 0 ? 1 : 0;
    }
    case "already-applied":
      return outcome.failed > 0 ? 1 : 0;
    case "halted":
    case "interrupted":
      return 130;
    case "cancelled":
    case "blocked":
      return 1;
    case "no-changes":
      return 0;
  }
}

/**
 * With --auto-approve, deletion starts only once the plan has reached the
 * reader: a reader that went away while it was printed (`| head -1`) has
 * interrupted the apply by then, before anything is sent.
 */
async function shown(io: Io): Promise<boolean> {
  await io.stdout.flushed?.();
  // The stream reports a closed reader on a later turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  return true;
}
