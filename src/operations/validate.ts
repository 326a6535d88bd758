/**
 * `validate(options)`: what `decom validate` does, as a function. Checks the
 * manifest against its schema and rules, and the state file if there is one,
 * and says whether an interrupted apply left a journal. Makes no network
 * request and writes nothing.
 */
import { existsSync } from "node:fs";
import { DecomError, type Diagnostic } from "../diagnostics.js";
import { loadManifest } from "../manifest/load.js";
import type { Manifest } from "../manifest/model.js";
import { guardWarnings, type PlanWarning } from "../plan/warnings.js";
import { readStateFile } from "../state/file.js";
import { journalPathFor } from "../state/journal.js";
import type { State } from "../state/model.js";
import type { WorkspaceOptions } from "./options.js";
import { checkGivenFiles, resolvePaths } from "./workspace.js";

export type ValidateOptions = Pick<WorkspaceOptions, "manifest" | "state" | "cwd">;

/**
 * Valid: the files as read, each with its path as shown to the user. Invalid:
 * why, as diagnostics (the first file that fails stops the check, as a
 * Terraform user expects of `terraform validate`: fix, then validate again).
 */
export type ValidateResult =
  | {
      valid: true;
      manifest: { path: string; manifest: Manifest };
      /** Absent when there is no state file yet. */
      state?: { path: string; state: State };
      /** The journal an interrupted apply left, as its path is shown; the next plan or apply resumes it. */
      journal?: string;
      /** What every plan of this manifest will warn about that needs no tenant: no guard.maxDeletes. */
      warnings: PlanWarning[];
    }
  | { valid: false; diagnostics: Diagnostic[] };

export function validate(options: ValidateOptions = {}): ValidateResult {
  const cwd = options.cwd ?? process.cwd();
  try {
    checkGivenFiles(cwd, options.manifest, options.state);
    const paths = resolvePaths(cwd, options.manifest, options.state);
    const manifest = loadManifest(paths.manifestAbsolute, paths.manifest);
    const state = existsSync(paths.stateAbsolute) ? readStateFile(paths.stateAbsolute, paths.state, paths.stateNamed) : null;
    return {
      valid: true,
      manifest: { path: paths.manifest, manifest },
      ...(state ? { state: { path: paths.state, state } } : {}),
      ...(existsSync(journalPathFor(paths.stateAbsolute)) ? { journal: journalPathFor(paths.state) } : {}),
      warnings: guardWarnings(manifest),
    };
  } catch (err) {
    if (err instanceof DecomError) return { valid: false, diagnostics: err.diagnostics };
    throw err;
  }
}
