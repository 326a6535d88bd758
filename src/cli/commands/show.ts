/** `decom show FILE`: a saved plan or a state file, as text, markdown or JSON. */
import { showTo, SHOW_FORMATS, type ShowFormat } from "../../operations/show.js";
import { fail } from "../../diagnostics.js";
import { HELP_OPTION, parseCommandArgs } from "../args.js";
import { outputOf, useColour, type Io } from "../io.js";

export const help = `Usage: decom show FILE [--format text|markdown|json]

Shows a saved plan (from "decom plan --out") or a state file. In the text
format, a plan's blockers and warnings go to stderr, as decom plan prints them.

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

export const options = {
  format: { type: "string" },
  "no-color": { type: "boolean" },
  ...HELP_OPTION,
} as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("show", args, options, 1);
  const file = positionals[0];
  if (file === undefined) return fail("usage.missing-argument", "decom show: which file? e.g. decom show plan.json");
  const format = values.format ?? "text";
  if (!SHOW_FORMATS.includes(format as ShowFormat))
    fail("usage.invalid", `decom show: --format must be one of ${SHOW_FORMATS.join(", ")}, got "${format}"`);
  showTo(outputOf(io), file, { format: format as ShowFormat, colour: useColour(io, values["no-color"]), cwd: io.cwd });
  return 0;
}
