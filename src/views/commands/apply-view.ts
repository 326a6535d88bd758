/**
 * What `decom apply` shows, as Terraform's command/views: one interface, a
 * human and a JSON implementation, chosen once from --json. The command only
 * says what happened; each view decides how it reads.
 */
import type { ApplyEvent } from "../../apply/events.js";
import type { ApplyOutcome, Continuation, Recovered } from "../../apply/results.js";
import type { Plan } from "../../plan/model.js";
import type { PlanWarning } from "../../plan/warnings.js";
import { count } from "../../text/plural.js";
import { alreadyAppliedText, archiveText, continuingText, recoveredText, renderApplySummary, renderFailures } from "../apply-text.js";
import { palette, type Palette } from "../colour.js";
import { applyEventLine, applySummaryLine, continuingLine, diagnosticLine, planLines, recoveredLine } from "../json-lines.js";
import { writePieces, type Output } from "../output.js";
import { planTextPieces } from "../plan-text.js";
import { planWarningDiagnostics, planWarningsText } from "../plan-warnings.js";
import { ProgressView } from "../progress.js";

export interface ApplyView {
  /** The plan apply made itself, shown before the question. */
  plan(plan: Plan): void;
  /** What is worth saying about that plan without blocking it, after it and before the question. */
  warnings(warnings: readonly PlanWarning[]): void;
  /** An interrupted apply was found and settled first. */
  recovered(recovered: Recovered): void;
  /** A re-run of the saved plan `shown` continues its own apply, which was cut short. */
  continuing(continuation: Continuation, shown: string): void;
  /** Progress: batches submitted and finished, waves. */
  event(event: ApplyEvent): void;
  /** The first Ctrl-C: `sending` once a batch may have been sent. */
  stopping(sending: boolean): void;
  /** Apply has returned: nothing more is redrawn. */
  close(): void;
  /**
   * How it ended; `savedPlan`: the saved plan applied, as the command named it,
   * and `rerun`, the command that applies it again (which finishes it).
   */
  outcome(outcome: ApplyOutcome, savedPlan: string | undefined, rerun?: string): void;
}

export interface ApplyViewOptions {
  json: boolean;
  /** Human view: ANSI colour. */
  colour: boolean;
  /** Human view: a terminal that can redraw a progress bar in place. */
  tty: boolean;
  /** Human view: no progress, and only the totals and blockers of the plan. */
  quiet: boolean;
}

export function applyView(out: Output, options: ApplyViewOptions): ApplyView {
  return options.json ? new ApplyJsonView(out) : new ApplyHumanView(out, options);
}

export class ApplyHumanView implements ApplyView {
  private readonly p: Palette;
  private readonly progress: ProgressView;

  constructor(
    private readonly out: Output,
    private readonly options: Omit<ApplyViewOptions, "json">,
  ) {
    this.p = palette(options.colour);
    this.progress = new ProgressView({
      write: (t) => out.stdout(t),
      warn: (t) => out.stderr(t),
      tty: options.tty,
      quiet: options.quiet,
      palette: this.p,
    });
  }

  plan(plan: Plan): void {
    // --quiet: the totals and any blockers, not every id.
    writePieces(this.out, planTextPieces(plan, this.p, this.options.quiet));
  }

  warnings(warnings: readonly PlanWarning[]): void {
    if (warnings.length > 0) this.out.stderr(planWarningsText(warnings));
  }

  recovered(recovered: Recovered): void {
    this.out.stdout(recoveredText(recovered));
  }

  continuing(continuation: Continuation, shown: string): void {
    this.out.stdout(continuingText(continuation, shown));
  }

  event(event: ApplyEvent): void {
    this.progress.handle(event);
  }

  stopping(sending: boolean): void {
    stoppingNotice(this.out, sending);
  }

  close(): void {
    this.progress.close();
  }

  outcome(outcome: ApplyOutcome, savedPlan: string | undefined, rerun?: string): void {
    switch (outcome.status) {
      case "applied":
        this.out.stderr(renderFailures(outcome.result.failures));
        this.out.stdout(renderApplySummary(outcome.result, outcome.interrupted, this.p, rerun));
        if (outcome.continued && outcome.continued.failedBefore > 0)
          this.out.stderr(failedBeforeText(outcome.continued.failedBefore, savedPlan));
        this.out.stdout(archiveText(outcome.archive));
        this.out.stdout(`State written to ${outcome.statePath}.\n`);
        return;
      case "already-applied":
        this.out.stdout(alreadyAppliedText(outcome.appliedAt, savedPlan ?? "the plan"));
        if (outcome.failed > 0) this.out.stderr(failedBeforeText(outcome.failed, savedPlan));
        return;
      case "cancelled":
        // Why the exit is 1: on stderr, with the other reasons a run fails.
        this.out.stderr("Apply cancelled. Nothing was changed.\n");
        return;
      case "no-changes":
        // Without a saved plan, the plan shown already said "No changes."
        if (savedPlan) this.out.stdout("No changes in the plan. Nothing to apply.\n");
        return;
      case "blocked":
        // The plan shown said why.
        return;
      case "halted":
      case "interrupted":
        stoppedNotice(this.out, outcome);
    }
  }
}

/** One `events.schema.json` object per line on stdout; what a person must act on now still goes to stderr. */
export class ApplyJsonView implements ApplyView {
  constructor(private readonly out: Output) {}

  plan(plan: Plan): void {
    for (const line of planLines(plan)) this.out.stdout(line);
  }

  warnings(warnings: readonly PlanWarning[]): void {
    for (const d of planWarningDiagnostics(warnings)) this.out.stdout(diagnosticLine(d));
  }

  recovered(recovered: Recovered): void {
    this.out.stdout(recoveredLine(recovered));
  }

  continuing(continuation: Continuation, shown: string): void {
    this.out.stdout(continuingLine(continuation, shown));
  }

  event(event: ApplyEvent): void {
    const line = applyEventLine(event);
    if (line) this.out.stdout(line);
  }

  stopping(sending: boolean): void {
    stoppingNotice(this.out, sending);
  }

  close(): void {}

  outcome(outcome: ApplyOutcome): void {
    this.out.stdout(applySummaryLine(outcome));
    if (outcome.status === "halted" || outcome.status === "interrupted") stoppedNotice(this.out, outcome);
  }
}

/** Why a saved plan that has been carried out to its end still exits 1. */
function failedBeforeText(failed: number, savedPlan: string | undefined): string {
  return (
    `${count(failed, "id")} failed when ${savedPlan ?? "the plan"} was applied; ` +
    `a new plan retries ${failed === 1 ? "it" : "them"}: decom plan --out ${savedPlan ?? "plan.json"}\n`
  );
}

/** Said at once, on stderr, in either view: the person who pressed Ctrl-C is waiting for it. */
function stoppingNotice(out: Output, sending: boolean): void {
  out.stderr(
    sending
      ? "\nInterrupt: submitting no more batches; following those in flight to their end. Ctrl-C again to stop at once.\n"
      : "\nInterrupt: cancelling the apply before anything is sent.\n",
  );
}

function stoppedNotice(out: Output, outcome: Extract<ApplyOutcome, { status: "halted" | "interrupted" }>): void {
  if (outcome.status === "interrupted") {
    out.stderr("Apply cancelled by the interrupt. Nothing was sent.\n");
    return;
  }
  const batches = outcome.inFlightBatches;
  const inFlight =
    batches > 0
      ? `${count(batches, "batch", "batches")} (${count(outcome.inFlight, "id")}) still in flight ${batches === 1 ? "is" : "are"} ` +
        `recorded in ${outcome.statePath}; the next decom apply or plan follows them to their end.`
      : "Nothing was in flight.";
  out.stderr(`Stopped at once. ${inFlight}\n`);
}
