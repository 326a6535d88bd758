/** `decom init`: a commented starter manifest, and .gitignore lines for what decom writes. */
import { DecomError } from "../../diagnostics.js";
import { init } from "../../operations/init.js";
import { InitHumanView } from "../../views/commands/init-view.js";
import { HELP_OPTION, parseCommandArgs } from "../args.js";
import { outputOf, type Io } from "../io.js";

export const help = `Usage: decom init [-f decom.yaml]

Writes a starter manifest with comments and a $schema line (editors that
understand it complete and check the file as you type), and adds the lines
decom needs to the .gitignore beside the manifest. Never overwrites an
existing manifest, and creates no folders.

Options:
  -f, --manifest FILE     manifest to write (default: decom.yaml)

Examples:
  decom init
  decom init -f retire-2026-q4.yaml
`;

export const options = {
  manifest: { type: "string", short: "f" },
  ...HELP_OPTION,
} as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("init", args, options, 0);
  const result = init({ manifest: values.manifest, cwd: io.cwd, ...(io.disk ? { disk: io.disk } : {}) });
  new InitHumanView(outputOf(io)).written(result.manifest, values.manifest, result.gitignore);
  // The manifest is written; what could not be (the .gitignore) is said after it, as an error.
  if (result.diagnostics.length > 0) throw new DecomError(result.diagnostics);
  return 0;
}
