/** `decom validate`: check the manifest (and the state file, if any) without touching the network. */
import { existsSync } from "node:fs";
import { journalPathFor } from "../../state/journal.js";
import { loadManifest } from "../../manifest/load.js";
import { readStateFile } from "../../state/file.js";
import { FILE_OPTIONS, HELP_OPTION, parseCommandArgs } from "../args.js";
import { checkGivenFiles, resolvePaths } from "../../operations/workspace.js";
import type { Io } from "../io.js";
import { count, formatNumber } from "../../text/plural.js";

export const help = `Usage: decom validate [-f decom.yaml] [--state FILE]

Checks the manifest against its schema and rules, and the state file if one
exists (and says whether an interrupted apply left batches in flight or a
journal to resume). Makes no network request.

Options:
  -f, --manifest FILE     manifest (default: decom.yaml)
      --state FILE        state file (default: decom.state.json beside the manifest)

Examples:
  decom validate
  decom validate -f retire-2026-q4.yaml
`;

export const options = { ...FILE_OPTIONS, ...HELP_OPTION } as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("validate", args, options, 0);
  checkGivenFiles(io.cwd, values.manifest, values.state);
  const paths = resolvePaths(io.cwd, values.manifest, values.state);
  const manifest = loadManifest(paths.manifestAbsolute, paths.manifest);
  const state = existsSync(paths.stateAbsolute) ? readStateFile(paths.stateAbsolute, paths.state, paths.stateNamed) : null;
  io.stdout.write(
    `${paths.manifest} is valid: ${count(manifest.resources.length, "resource")}, ${count(manifest.selectors.length, "selector")}, ${count(manifest.resourceTypes.length, "resource type")}.\n` +
      (state ? `${paths.state} is valid: lineage ${state.lineage}, serial ${formatNumber(state.serial)}.\n` : "") +
      (state && state.inFlight.length > 0 ? `${count(state.inFlight.length, "in-flight batch", "in-flight batches")} recorded: the next decom plan or apply follows ${state.inFlight.length === 1 ? "it" : "them"}.\n` : "") +
      (existsSync(journalPathFor(paths.stateAbsolute)) ? `${journalPathFor(paths.state)} exists: an apply was interrupted; the next decom plan or apply resumes it.\n` : ""),
  );
  return 0;
}
