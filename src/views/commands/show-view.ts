/** What `decom show` shows: one view per --format, chosen once. */
import { fail } from "../../diagnostics.js";
import type { Plan } from "../../plan/model.js";
import { serializePlan } from "../../plan/planfile.js";
import { serializeState } from "../../state/file.js";
import type { State } from "../../state/model.js";
import { palette, type Palette } from "../colour.js";
import { writePieces, type Output } from "../output.js";
import { renderPlanMarkdown } from "../plan-markdown.js";
import { planTextPieces } from "../plan-text.js";
import { stateTextPieces } from "../state-text.js";

export type ShowFormat = "text" | "markdown" | "json";
export const SHOW_FORMATS: readonly ShowFormat[] = ["text", "markdown", "json"];

export interface ShowView {
  /** A saved plan, read from `file`. */
  plan(plan: Plan, file: string): void;
  state(state: State, file: string): void;
}

export function showView(out: Output, options: { format: ShowFormat; colour: boolean }): ShowView {
  switch (options.format) {
    case "text":
      return new ShowTextView(out, palette(options.colour));
    case "markdown":
      return new ShowMarkdownView(out);
    case "json":
      return new ShowJsonView(out);
  }
}

/** A plan's blockers and the warning about escaped ids are problems, for stderr, as decom plan prints them. */
export class ShowTextView implements ShowView {
  constructor(
    private readonly out: Output,
    private readonly p: Palette,
  ) {}

  plan(plan: Plan): void {
    writePieces(this.out, planTextPieces(plan, this.p));
  }

  state(state: State): void {
    writePieces(this.out, stateTextPieces(state, this.p));
  }
}

/** A pull request comment: read in a pull request, not a terminal, so it keeps the blockers in the view. */
export class ShowMarkdownView implements ShowView {
  constructor(private readonly out: Output) {}

  plan(plan: Plan, file: string): void {
    this.out.stdout(renderPlanMarkdown(plan, file));
  }

  state(_state: State, file: string): never {
    return fail("usage.invalid", markdownShowsPlans(file));
  }
}

/** The file as decom writes it (canonical JSON). */
export class ShowJsonView implements ShowView {
  constructor(private readonly out: Output) {}

  plan(plan: Plan): void {
    this.out.stdout(serializePlan(plan));
  }

  state(state: State): void {
    this.out.stdout(serializeState(state));
  }
}

/** Said before a state is even read when the markdown format is asked for: there is no state comment. */
export function markdownShowsPlans(file: string): string {
  return `decom show: --format markdown shows plans; ${file} is not one (use text or json for a state)`;
}
