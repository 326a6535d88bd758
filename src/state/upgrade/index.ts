/**
 * The state file's upgrade chain, as Terraform's statefile package: a file of
 * any version decom has ever written is brought, one version at a time, to the
 * current one before it is validated and read. Reading is the only place old
 * formats exist; only the current version is ever written.
 *
 * Each step is one file, `vN-to-vN+1.ts` exporting an `UpgradeStep`, listed in
 * UPGRADES below (a test checks the chain reaches STATE_VERSION);
 * test/state/fixtures keeps the files of every version, so each step is tested
 * by the older fixtures upgrading to their `.out.json`.
 */
import { DecomError, error } from "../../diagnostics.js";
import { STATE_VERSION } from "../model.js";
import { v1ToV2 } from "./v1-to-v2.js";

/** A parsed state file of some version: only `version` is known before the schema has judged it. */
export type VersionedDocument = { version: number } & { [field: string]: unknown };

/** Turns a document of version N into one of version N + 1; it may trust only what version N's schema promised. */
export type UpgradeStep = (doc: VersionedDocument, path: string) => VersionedDocument;

export const OLDEST_STATE_VERSION = 1;

/** UPGRADES[i] upgrades version OLDEST_STATE_VERSION + i to the next one. */
export const UPGRADES: readonly UpgradeStep[] = [v1ToV2];

/**
 * `doc` at STATE_VERSION, or a refusal that names `path` and says the file was
 * not modified: versions newer than this decom reads, and versions older than
 * any decom wrote, are not guessed at.
 */
export function upgradeToCurrent(doc: VersionedDocument, path: string): VersionedDocument {
  const { version } = doc;
  if (version > STATE_VERSION) {
    throw new DecomError(
      error(
        "state.newer-version",
        `${path}: written by a newer decom (state version ${version}; this decom reads up to ${STATE_VERSION}). ` +
          "Upgrade decom; the file was not modified.",
      ),
    );
  }
  if (version < OLDEST_STATE_VERSION) {
    throw new DecomError(
      error(
        "state.unknown-version",
        `${path}: state version ${version} is older than any decom has written (the oldest is ${OLDEST_STATE_VERSION}); ` +
          "not a decom state file. It was not modified; restore it from git if it was damaged.",
      ),
    );
  }
  let upgraded = doc;
  for (let from = version; from < STATE_VERSION; from++) {
    upgraded = UPGRADES[from - OLDEST_STATE_VERSION]!(upgraded, path);
  }
  return upgraded;
}
