/**
 * `init(options)`: what `decom init` does, as a function. Writes a starter
 * manifest with comments and a $schema line, and adds the lines decom needs to
 * the .gitignore beside it. Never overwrites a manifest, and creates no folders.
 */
import { basename, dirname, join, resolve } from "node:path";
import { DecomError, fail, type Diagnostic } from "../diagnostics.js";
import { localDisk, type Disk } from "../files/disk.js";
import { folderProblem } from "../files/folder.js";
import { fileError } from "../files/fs-error.js";
import { DECOM_VERSION } from "../version.js";
import { DEFAULT_MANIFEST, checkGivenFiles, statePathFor } from "./workspace.js";

export interface InitOptions {
  /** The manifest to write, relative to `cwd` (default `decom.yaml`). */
  manifest?: string | undefined;
  /** Default: `process.cwd()`. */
  cwd?: string;
  /** Where files are read and written (default: the local disk). */
  disk?: Disk;
}

/**
 * What was written, paths as shown to the user. Anything wrong before the
 * manifest is written is thrown (a DecomError), and nothing is written; once
 * it is written, a .gitignore that cannot be is a diagnostic here, beside the
 * manifest that was.
 */
export interface InitResult {
  manifest: string;
  /** The .gitignore beside the manifest, and how many lines were added to it (0: all were there, or it could not be written). */
  gitignore: { path: string; added: number };
  diagnostics: Diagnostic[];
}

/** Only decom's own files: a bare `*.lock` would stop git tracking yarn.lock, Gemfile.lock and the like. */
const GITIGNORE = [
  "# decom: the state lock exists only while decom runs (keep the state file, and a journal an interrupted apply left, in git)",
  "*.state.json.lock",
  "# decom: the temporary file of a state write cut short by a crash (the state itself is intact)",
  ".*.state.json.*.tmp",
  "# decom: saved plans are reviewed in pull requests; ignore them if you do not commit them",
  "# plan.json",
  "# decom: the archive holds the tenant's documents as they were before deletion (decom restore); commit it or not, your choice",
  "# *.archive.jsonl",
];

export function init(options: InitOptions = {}): InitResult {
  const cwd = options.cwd ?? process.cwd();
  const shown = options.manifest ?? DEFAULT_MANIFEST;
  checkGivenFiles(cwd, options.manifest, undefined);
  const path = resolve(cwd, shown);
  const disk = options.disk ?? localDisk;
  if (attempt(() => disk.readText(path), `cannot read ${shown}`, false) !== undefined)
    fail("init.exists", `${shown} already exists; decom init never overwrites a manifest`);
  const folder = folderProblem(path, shown);
  if (folder)
    fail("init.file", `cannot write ${shown}: ${folder.text}${folder.missing ? "; create it first (decom init creates no folders)" : ""}`);
  // Beside the manifest, where the state and its lock will be. Read first: a problem with it must not leave a manifest half set up.
  const gitignore = resolve(dirname(path), ".gitignore");
  const gitignoreShown = join(dirname(shown), ".gitignore");
  const existing = attempt(() => disk.readText(gitignore), `cannot read ${gitignoreShown}`, false);
  const ignoreExists = existing !== undefined;
  const present = existing ?? "";
  const lines = new Set(present.split("\n").map((line) => line.trim()));
  const missing = GITIGNORE.filter((line) => !lines.has(line));

  // Created only if still absent: a manifest written meanwhile is never overwritten.
  if (!attempt(() => disk.createNew(path, starter(SCHEMA_URL, basename(statePathFor(path)))), `cannot write ${shown}`, true)) {
    fail("init.exists", `${shown} already exists; decom init never overwrites a manifest`);
  }
  const result: InitResult = { manifest: shown, gitignore: { path: gitignoreShown, added: 0 }, diagnostics: [] };
  if (missing.length > 0) {
    const text = present + (present === "" || present.endsWith("\n") ? "" : "\n") + missing.join("\n") + "\n";
    try {
      attempt(() => disk.writeAtomic(gitignore, text), `cannot write ${gitignoreShown}`, !ignoreExists);
      result.gitignore.added = missing.length;
    } catch (err) {
      if (!(err instanceof DecomError)) throw err;
      result.diagnostics.push(...err.diagnostics);
    }
  }
  return result;
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

function starter(schema: string, stateName: string): string {
  return `# yaml-language-server: $schema=${schema}
#
# What must no longer exist on the tenant. "decom plan" shows what this means
# right now; "decom apply" makes it so, and records every outcome in
# ${stateName} (keep that file in git, beside this one).
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
