/** `show(file)`: a saved plan or a state file as text, markdown (plans) or JSON. */
import { resolve } from "node:path";
import { palette } from "../views/colour.js";
import { renderPlanMarkdown } from "../views/plan-markdown.js";
import { joinPieces, viewText, type Piece } from "../views/pieces.js";
import { planTextPieces } from "../views/plan-text.js";
import { stateTextPieces } from "../views/state-text.js";
import { fail } from "../diagnostics.js";
import { localDisk } from "../files/disk.js";
import { fileError } from "../files/fs-error.js";
import { journalResumeHint, KIND_NAMES, recogniseFile } from "../files/file-kind.js";
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
  return joinPieces(showPieces(file, options));
}

/**
 * The same, split by stream for the command: in the text format, a plan's
 * blockers and the warning about escaped ids are problems, for stderr. The
 * markdown comment keeps them: it is read in a pull request, not a terminal.
 */
export function showPieces(file: string, options: ShowOptions = {}): Piece[] {
  const format = options.format ?? "text";
  let text: string;
  try {
    text = localDisk.readBytes(resolve(options.cwd ?? process.cwd(), file)).toString("utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EISDIR") fail("show.folder", `${file} is a folder; ${SHOW_TAKES}`);
    throw fileError("show.unreadable", file, err);
  }
  const p = palette(options.colour === true);
  if (isPlanText(text)) {
    const plan = parsePlan(text, file);
    if (format === "text") return [...planTextPieces(plan, p)];
    return [viewText(format === "json" ? serializePlan(plan) : renderPlanMarkdown(plan, file))];
  }
  checkShowable(file, text);
  if (format === "markdown") fail("usage.invalid", `decom show: --format markdown shows plans; ${file} is not one (use text or json for a state)`);
  const state = parseState(text, file);
  return format === "json" ? [viewText(serializeState(state))] : stateTextPieces(state, p);
}

const SHOW_TAKES = "decom show takes a file from decom plan --out or a state file";

/**
 * A file that is no plan is refused as what it is (a manifest), or as neither
 * a plan nor a state when it is JSON with neither's mark (or empty), or as a
 * journal, rather than being called a damaged state file. A state file that is damaged is left for
 * parseState to say so.
 */
function checkShowable(file: string, text: string): void {
  if (text.trim() === "") fail("show.wrong-kind", `${file} is empty: neither a plan nor a state file; ${SHOW_TAKES}`);
  const kind = recogniseFile(file, text);
  if (kind === "manifest") fail("show.wrong-kind", `${file} is ${KIND_NAMES.manifest}, not a plan or state file; ${SHOW_TAKES}`);
  if (kind === "journal") {
    const resume = journalResumeHint(file);
    fail("show.wrong-kind", `${file} is ${KIND_NAMES.journal}, not a plan or state file; ${resume ? `${resume}; ` : ""}${SHOW_TAKES}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return;
  }
  if (data === null || typeof data !== "object" || Array.isArray(data) || !("version" in data || "lineage" in data)) {
    fail("show.wrong-kind", `${file} is neither a plan nor a state file (it has no "formatVersion" and no "lineage"); ${SHOW_TAKES}`);
  }
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
