/** `decom validate`: check the manifest (and the state file, if any) without touching the network. */
import { DecomError } from "../../diagnostics.js";
import { validate } from "../../operations/validate.js";
import { ValidateHumanView } from "../../views/commands/validate-view.js";
import { FILE_OPTIONS, HELP_OPTION, parseCommandArgs } from "../args.js";
import { outputOf, type Io } from "../io.js";

export const help = `Usage: decom validate [-f decom.yaml] [--state FILE]

Checks the manifest against its schema and rules, and the state file if one
exists (and says whether an interrupted apply left batches in flight or a
journal to resume). Makes no network request. Warns, as plan does, when the
manifest has no guard.maxDeletes.

Options:
  -f, --manifest FILE     manifest (default: decom.yaml)
      --state FILE        state file (default: X.state.json beside manifest X.yaml)

Examples:
  decom validate
  decom validate -f retire-2026-q4.yaml
`;

export const options = { ...FILE_OPTIONS, ...HELP_OPTION } as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("validate", args, options, 0);
  const result = validate({ manifest: values.manifest, state: values.state, cwd: io.cwd });
  // Said, with the exit code, where every command's errors are (run.ts).
  if (!result.valid) throw new DecomError(result.diagnostics);
  const view = new ValidateHumanView(outputOf(io));
  view.validated(result.manifest, result.state, result.journal);
  view.warnings(result.warnings);
  return 0;
}
