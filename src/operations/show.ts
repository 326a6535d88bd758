/** `show(file)`: a saved plan or a state file as text, markdown (plans) or JSON. */
import { resolve } from "node:path";
import { markdownShowsPlans, showView, type ShowFormat } from "../views/commands/show-view.js";
import type { Output } from "../views/output.js";
import { fail } from "../diagnostics.js";
import { localDisk } from "../files/disk.js";
import { fileError } from "../files/fs-error.js";
import { journalResumeHint, KIND_NAMES, recogniseFile } from "../files/file-kind.js";
import type { Plan } from "../plan/model.js";
import { parsePlan } from "../plan/planfile.js";
import { parseState } from "../state/file.js";
import type { State } from "../state/model.js";

export { SHOW_FORMATS, type ShowFormat } from "../views/commands/show-view.js";

export interface ShowOptions {
  format?: ShowFormat;
  /** ANSI colour in the text format (default false). */
  colour?: boolean;
  /** Default: `process.cwd()`. */
  cwd?: string;
}

/** The whole view as one text: in the text format, a plan's blockers where a terminal shows them. */
export function show(file: string, options: ShowOptions = {}): string {
  let text = "";
  const collect: Output = { stdout: (t) => (text += t), stderr: (t) => (text += t) };
  showTo(collect, file, options);
  return text;
}

/** The same, written to `out` by stream: in the text format, a plan's blockers and the warning about escaped ids go to stderr. */
export function showTo(out: Output, file: string, options: ShowOptions = {}): void {
  const format = options.format ?? "text";
  const shown = readShowable(file, format, options.cwd);
  const view = showView(out, { format, colour: options.colour === true });
  if (shown.kind === "plan") view.plan(shown.plan, file);
  else view.state(shown.state, file);
}

/** A saved plan or a state file, refused in one line if it is neither, or (for markdown) a state. */
function readShowable(
  file: string,
  format: ShowFormat,
  cwd: string | undefined,
): { kind: "plan"; plan: Plan } | { kind: "state"; state: State } {
  let text: string;
  try {
    text = localDisk.readBytes(resolve(cwd ?? process.cwd(), file)).toString("utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EISDIR") fail("show.folder", `${file} is a folder; ${SHOW_TAKES}`);
    throw fileError("show.unreadable", file, err);
  }
  if (isPlanText(text)) return { kind: "plan", plan: parsePlan(text, file) };
  checkShowable(file, text);
  if (format === "markdown") fail("usage.invalid", markdownShowsPlans(file));
  return { kind: "state", state: parseState(text, file) };
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
