/** `decom show FILE`: a saved plan or a state file, as text or JSON. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fail } from "../../diagnostics.js";
import { parsePlan, serializePlan } from "../../plan/planfile.js";
import { parseState, serializeState } from "../../state/file.js";
import { HELP_OPTION, parseCommandArgs } from "../args.js";
import { useColour, type Io } from "../io.js";
import { palette } from "../views/colour.js";
import { renderPlanMarkdown } from "../views/plan-markdown.js";
import { renderPlanText } from "../views/plan-text.js";
import { renderStateText } from "../views/state-text.js";

export const help = `Usage: decom show FILE [--format text|markdown|json]

Shows a saved plan (from "decom plan --out") or a state file.

Options:
      --format FORMAT     text (default); markdown, for a pull request comment
                          (summary and blockers first, lists folded, always
                          under GitHub's 65,536-character limit); or json
      --no-color          no colour, even on a terminal

Examples:
  decom show plan.json
  decom show plan.json --format markdown > comment.md
  decom show decom.state.json --format json
`;

const options = {
  format: { type: "string" },
  "no-color": { type: "boolean" },
  ...HELP_OPTION,
} as const;

const FORMATS = ["text", "markdown", "json"];

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("show", args, options, 1);
  const file = positionals[0];
  if (file === undefined) return fail("usage.missing-argument", "decom show: which file? e.g. decom show plan.json");
  const format = values.format ?? "text";
  if (!FORMATS.includes(format)) fail("usage.invalid", `decom show: --format must be one of ${FORMATS.join(", ")}, got "${format}"`);

  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), "utf8");
  } catch (err) {
    return fail("show.unreadable", `${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
  const p = palette(useColour(io, values["no-color"]));
  if (isPlanText(text)) {
    const plan = parsePlan(text, file);
    io.stdout.write(format === "json" ? serializePlan(plan) : format === "markdown" ? renderPlanMarkdown(plan, file) : renderPlanText(plan, p));
  } else {
    if (format === "markdown") fail("usage.invalid", `decom show: --format markdown shows plans; ${file} is not one (use text or json for a state)`);
    const state = parseState(text, file);
    io.stdout.write(format === "json" ? serializeState(state) : renderStateText(state, p));
  }
  return 0;
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

