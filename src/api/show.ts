/** `show(file)`: a saved plan or a state file as text, markdown (plans) or JSON. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { palette } from "../cli/views/colour.js";
import { renderPlanMarkdown } from "../cli/views/plan-markdown.js";
import { renderPlanText } from "../cli/views/plan-text.js";
import { renderStateText } from "../cli/views/state-text.js";
import { fail } from "../diagnostics.js";
import { fileError } from "../files/fs-error.js";
import { parsePlan, serializePlan } from "../plan/planfile.js";
import { parseState, serializeState } from "../state/file.js";

export type ShowFormat = "text" | "markdown" | "json";
export const SHOW_FORMATS: readonly ShowFormat[] = ["text", "markdown", "json"];

export interface ShowOptions {
  format?: ShowFormat;
  /** ANSI colour in the text format (default false). */
  colour?: boolean;
  /** Default: `process.cwd()`. */
  cwd?: string;
}

export function show(file: string, options: ShowOptions = {}): string {
  const format = options.format ?? "text";
  let text: string;
  try {
    text = readFileSync(resolve(options.cwd ?? process.cwd(), file), "utf8");
  } catch (err) {
    throw fileError("show.unreadable", file, err);
  }
  const p = palette(options.colour === true);
  if (isPlanText(text)) {
    const plan = parsePlan(text, file);
    return format === "json" ? serializePlan(plan) : format === "markdown" ? renderPlanMarkdown(plan, file) : renderPlanText(plan, p);
  }
  if (format === "markdown") fail("usage.invalid", `decom show: --format markdown shows plans; ${file} is not one (use text or json for a state)`);
  const state = parseState(text, file);
  return format === "json" ? serializeState(state) : renderStateText(state, p);
}

/** Plans carry `formatVersion`; states carry `version` and `lineage`. */
function isPlanText(text: string): boolean {
  try {
    const data = JSON.parse(text) as Record<string, unknown> | null;
    return data !== null && typeof data === "object" && "formatVersion" in data;
  } catch {
    return false;
  }
}
