/** What `decom plan` shows: a human and a JSON implementation, chosen once from --json. */
import type { Recovered } from "../../apply/results.js";
import { isBlocked, type Plan } from "../../plan/model.js";
import type { PlanWarning } from "../../plan/warnings.js";
import { archiveNotice, recoveredText } from "../apply-text.js";
import { palette, type Palette } from "../colour.js";
import { diagnosticLine, planLines, recoveredLine } from "../json-lines.js";
import { writePieces, type Output } from "../output.js";
import { planTextPieces } from "../plan-text.js";
import { planWarningDiagnostics, planWarningsText } from "../plan-warnings.js";

export interface PlanView {
  /** An interrupted apply was found and settled before planning. */
  recovered(recovered: Recovered): void;
  /**
   * The plan; `saved` is the file it was saved to (--out); `warnings`, what is
   * worth saying about it without blocking it, after the plan and before the
   * next command to run: `applyCommand`, the command that applies the saved
   * plan with the same manifest and state (default `decom apply <saved>`);
   * `archive`, where apply will archive the documents it deletes.
   */
  plan(plan: Plan, saved: string | undefined, warnings: readonly PlanWarning[], next?: { applyCommand?: string; archive?: string }): void;
  /** Ctrl-C while planning: nothing was planned. */
  interrupted(): void;
}

export function planView(out: Output, options: { json: boolean; colour: boolean }): PlanView {
  return options.json ? new PlanJsonView(out) : new PlanHumanView(out, palette(options.colour));
}

const INTERRUPTED = "Interrupted: nothing was planned. Anything recovered so far is in the state.";

export class PlanHumanView implements PlanView {
  constructor(
    private readonly out: Output,
    private readonly p: Palette,
  ) {}

  recovered(recovered: Recovered): void {
    this.out.stdout(recoveredText(recovered));
  }

  plan(
    plan: Plan,
    saved: string | undefined,
    warnings: readonly PlanWarning[],
    next: { applyCommand?: string; archive?: string } = {},
  ): void {
    writePieces(this.out, planTextPieces(plan, this.p));
    if (warnings.length > 0) this.out.stderr(planWarningsText(warnings));
    const deletes = !isBlocked(plan) && plan.waves.length > 0;
    if (deletes && next.archive !== undefined) this.out.stdout(`\n${archiveNotice(next.archive)}\n`);
    if (saved === undefined) return;
    this.out.stdout(
      isBlocked(plan)
        ? `\nSaved the blocked plan to ${saved}, so reviewers can see why; decom apply refuses it.\n`
        : `\nSaved the plan to ${saved}. Apply exactly this plan with: ${next.applyCommand ?? `decom apply ${saved}`}\n`,
    );
  }

  interrupted(): void {
    this.out.stderr(`${INTERRUPTED}\n`);
  }
}

/** One `events.schema.json` object per line on stdout, the interrupt included. */
export class PlanJsonView implements PlanView {
  constructor(private readonly out: Output) {}

  recovered(recovered: Recovered): void {
    this.out.stdout(recoveredLine(recovered));
  }

  plan(plan: Plan, saved: string | undefined, warnings: readonly PlanWarning[], next: { archive?: string } = {}): void {
    for (const line of planLines(plan, saved, next.archive)) this.out.stdout(line);
    for (const d of planWarningDiagnostics(warnings)) this.out.stdout(diagnosticLine(d));
  }

  interrupted(): void {
    this.out.stdout(diagnosticLine({ severity: "error", code: "interrupted", summary: INTERRUPTED }));
  }
}
