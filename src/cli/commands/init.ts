/** `decom init`: a commented starter manifest, and .gitignore lines for what decom writes. */
import { dirname, join, resolve } from "node:path";
import { checkGivenFiles } from "../../operations/workspace.js";
import { fail } from "../../diagnostics.js";
import { localDisk } from "../../files/disk.js";
import { folderProblem } from "../../files/folder.js";
import { fileError } from "../../files/fs-error.js";
import { shellWord } from "../../text/shell-word.js";
import { DECOM_VERSION } from "../../version.js";
import { HELP_OPTION, parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { count } from "../../text/plural.js";

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

/** Only decom's own files: a bare `*.lock` would stop git tracking yarn.lock, Gemfile.lock and the like. */
const GITIGNORE = [
  "# decom: the state lock exists only while decom runs (keep the state file, and a journal an interrupted apply left, in git)",
  "*.state.json.lock",
  "# decom: saved plans are reviewed in pull requests; ignore them if you do not commit them",
  "# plan.json",
];

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("init", args, options, 0);
  const shown = values.manifest ?? "decom.yaml";
  checkGivenFiles(io.cwd, values.manifest, undefined);
  const path = resolve(io.cwd, shown);
  const disk = io.disk ?? localDisk;
  if (attempt(() => disk.readText(path), `cannot read ${shown}`, false) !== undefined) fail("init.exists", `${shown} already exists; decom init never overwrites a manifest`);
  const folder = folderProblem(path, shown);
  if (folder) fail("init.file", `cannot write ${shown}: ${folder.text}${folder.missing ? "; create it first (decom init creates no folders)" : ""}`);
  // Beside the manifest, where the state and its lock will be. Read first: a problem with it must not leave a manifest half set up.
  const gitignore = resolve(dirname(path), ".gitignore");
  const gitignoreShown = join(dirname(shown), ".gitignore");
  const existing = attempt(() => disk.readText(gitignore), `cannot read ${gitignoreShown}`, false);
  const ignoreExists = existing !== undefined;
  const present = existing ?? "";
  const lines = new Set(present.split("\n").map((line) => line.trim()));
  const missing = GITIGNORE.filter((line) => !lines.has(line));

  // Created only if still absent: a manifest written meanwhile is never overwritten.
  if (!attempt(() => disk.createNew(path, starter(SCHEMA_URL)), `cannot write ${shown}`, true)) {
    fail("init.exists", `${shown} already exists; decom init never overwrites a manifest`);
  }
  // Printed as the user must type it: -f with their file, quoted for a shell, joined with = if it starts with a dash.
  const file = values.manifest === undefined ? "" : values.manifest.startsWith("-") ? ` --manifest=${shellWord(values.manifest)}` : ` -f ${shellWord(values.manifest)}`;
  io.stdout.write(`Wrote ${shown}. Edit it, then run: decom validate${file} && decom plan${file}\n`);
  if (missing.length > 0) {
    const text = present + (present === "" || present.endsWith("\n") ? "" : "\n") + missing.join("\n") + "\n";
    attempt(() => disk.writeAtomic(gitignore, text), `cannot write ${gitignoreShown}`, !ignoreExists);
    io.stdout.write(`Added ${count(missing.length, "line")} to ${gitignoreShown}.
`);
  }
  return 0;
}

/**
 * The schema as this version of decom publishes it: the same on every clone,
 * however (or whether) each teammate installed decom, where a path into the
 * installer's node_modules or checkout would hold only on their machine.
 */
const SCHEMA_URL = `https://cdn.jsdelivr.net/npm/waylay-decom@${DECOM_VERSION}/schemas/manifest.schema.json`;

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
