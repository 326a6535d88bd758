/** `decom init`: a commented starter manifest, and .gitignore lines for what decom writes. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fail } from "../../diagnostics.js";
import { folderProblem } from "../../files/folder.js";
import { fileError } from "../../files/fs-error.js";
import { HELP_OPTION, parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { count } from "../../text/plural.js";

export const help = `Usage: decom init [-f decom.yaml]

Writes a starter manifest with comments and a $schema line (editors that
understand it complete and check the file as you type), and adds the lines
decom needs to .gitignore. Never overwrites an existing manifest.

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

const GITIGNORE = [
  "# decom: the lock exists only while decom runs",
  "*.lock",
  "# decom: saved plans are reviewed in pull requests; ignore them if you do not commit them",
  "# plan.json",
];

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("init", args, options, 0);
  const shown = values.manifest ?? "decom.yaml";
  const path = resolve(io.cwd, shown);
  if (existsSync(path)) fail("init.exists", `${shown} already exists; decom init never overwrites a manifest`);
  const folder = folderProblem(path, shown);
  if (folder) fail("init.file", `cannot write ${shown}: ${folder.text}${folder.missing ? "; create it first (decom init creates no folders)" : ""}`);
  // .gitignore is read first: a problem with it must not leave a manifest half set up.
  const gitignore = resolve(io.cwd, ".gitignore");
  const ignoreExists = existsSync(gitignore);
  const present = ignoreExists ? attempt(() => readFileSync(gitignore, "utf8"), "cannot read .gitignore", false) : "";
  const lines = new Set(present.split("\n").map((line) => line.trim()));
  const missing = GITIGNORE.filter((line) => !lines.has(line));

  const schema = fileURLToPath(new URL("../../../schemas/manifest.schema.json", import.meta.url));
  attempt(() => writeFileSync(path, starter(relative(dirname(path), schema).split("\\").join("/"))), `cannot write ${shown}`, true);
  io.stdout.write(`Wrote ${shown}. Edit it, then run: decom validate && decom plan\n`);
  if (missing.length > 0) {
    const text = present + (present === "" || present.endsWith("\n") ? "" : "\n") + missing.join("\n") + "\n";
    attempt(() => writeFileSync(gitignore, text), "cannot write .gitignore", !ignoreExists);
    io.stdout.write(`Added ${count(missing.length, "line")} to .gitignore.\n`);
  }
  return 0;
}

/** `work()`, with a file-system failure said in one line: `what: why`. */
function attempt<T>(work: () => T, what: string, creating: boolean): T {
  try {
    return work();
  } catch (err) {
    throw fileError("init.file", what, err, creating);
  }
}

function starter(schema: string): string {
  return `# yaml-language-server: $schema=${schema}
#
# What must no longer exist on the tenant. "decom plan" shows what this means
# right now; "decom apply" makes it so, and records every outcome in
# decom.state.json (keep that file in git, beside this one).
version: 1

defaults:
  # Related data removed with each resource: alarms, measurements, tasks.
  cascade: [alarms, measurements, tasks]

# Resources that must not exist. Replace [] with entries such as:
#   - id: thermostat-0042             one resource, by its id on the tenant
#   - select:                         every resource the tenant matches when planning
#       resourceTypeId: legacy-thermostat
#       tags: [retired]
#     cascade: [tasks]                this entry's own cascade
resources: []

# Resource types that must not exist, deleted after all resources:
#   - id: legacy-thermostat
resourceTypes: []

# Never deleted, whatever a selector matches.
protect:
  resources: []
  resourceTypes: []

# The plan is refused if it would delete more than this.
guard:
  maxDeletes: 100
`;
}
