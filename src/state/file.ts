/**
 * Reading and writing the state file. Reading looks at `version` first and
 * refuses, untouched, a file it does not understand; empty, corrupt, newer and
 * invalid files are distinct errors. Writing is deterministic and atomic.
 */
import { readFileSync } from "node:fs";
import { DecomError, error } from "../diagnostics.js";
import { canonicalJson, canonicalJsonPieces } from "../files/canonical-json.js";
import { idRecord } from "../files/id-record.js";
import { fileError, isMissing } from "../files/fs-error.js";
import { shellWord } from "../text/shell-word.js";
import { KIND_NAMES, recogniseFile } from "../files/file-kind.js";
import { describeSchemaErrors, validateStateDocument } from "../schemas.js";
import { STATE_VERSION, type InFlightBatch, type State, type StateRecord } from "./model.js";

interface InFlightDocument {
  kind: InFlightBatch["kind"];
  ids: Record<string, string>;
  cascade?: InFlightBatch["cascade"];
  submitted: string;
  batchId?: string;
  statusUrl?: string;
}

interface StateDocumentV1 {
  version: 1;
  lineage: string;
  serial: number;
  endpoint: string;
  resources: Record<string, StateRecord>;
  resourceTypes: Record<string, StateRecord>;
  inFlight?: InFlightDocument[];
}

/** `null` when there is no state file yet (the first apply creates it). `namedAs`: see parseState. */
export function readStateFile(path: string, shownAs: string = path, namedAs: string = shownAs): State | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (isMissing(err)) return null;
    throw fileError("state.unreadable", shownAs, err);
  }
  return parseState(text, shownAs, namedAs);
}

/**
 * The state in `text`, read from `path`. A file that is not a state file but
 * recognisably another of decom's (the manifest, a saved plan, a journal) is said to be
 * that, naming it as `namedAs` (`--state decom.yaml`), rather than called damaged.
 */
export function parseState(text: string, path: string, namedAs: string = path): State {
  try {
    return parseStateText(text, path);
  } catch (err) {
    const kind = err instanceof DecomError ? recogniseFile(path, text) : undefined;
    if (kind === "manifest") throw new DecomError(error("state.wrong-kind", `${namedAs} is ${KIND_NAMES.manifest}, not a state file (the manifest is given with -f)`));
    if (kind === "journal") throw new DecomError(error("state.wrong-kind", `${namedAs} is ${KIND_NAMES.journal}, not a state file (give the state file it belongs to)`));
    if (kind === "plan") throw new DecomError(error("state.wrong-kind", `${namedAs} is ${KIND_NAMES.plan}, not a state file (a saved plan is applied with decom apply ${shellWord(path)})`));
    throw err;
  }
}

function parseStateText(text: string, path: string): State {
  const untouched = "It was not modified; restore it from git if it was damaged.";
  if (text.trim() === "") {
    throw new DecomError(error("state.empty", `${path}: the state file is empty. ${untouched}`));
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DecomError(error("state.corrupt", `${path}: not valid JSON (${(err as Error).message}). ${untouched}`));
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version !== "number" || !Number.isInteger(version)) {
    throw new DecomError(error("state.corrupt", `${path}: no integer "version" field; not a decom state file. ${untouched}`));
  }
  if (version > STATE_VERSION) {
    throw new DecomError(
      error(
        "state.newer-version",
        `${path}: written by a newer decom (state version ${version}; this decom reads up to ${STATE_VERSION}). Upgrade decom; the file was not modified.`,
      ),
    );
  }
  // Version 1 is the first and current format: there is nothing to upgrade yet.
  // A version 2 adds an `upgradeV1` step here, and only the current version is written.
  if (!validateStateDocument(data)) {
    throw new DecomError(
      error("state.invalid", `${path}: not a valid state file: ${describeSchemaErrors(validateStateDocument.errors)}. ${untouched}`),
    );
  }
  const doc = data as StateDocumentV1;
  return {
    version: STATE_VERSION,
    lineage: doc.lineage,
    serial: doc.serial,
    endpoint: doc.endpoint,
    resource: new Map(Object.entries(doc.resources)),
    resourceType: new Map(Object.entries(doc.resourceTypes)),
    inFlight: (doc.inFlight ?? []).map((b) => ({ ...b, ids: new Map(Object.entries(b.ids)) })),
  };
}

export function serializeState(state: State): string {
  return canonicalJson(stateDocument(state));
}

/** The state file's bytes in pieces (see canonicalJsonPieces). */
export function stateFilePieces(state: State): Iterable<string> {
  return canonicalJsonPieces(stateDocument(state));
}

function stateDocument(state: State): StateDocumentV1 {
  const doc: StateDocumentV1 = {
    version: STATE_VERSION,
    lineage: state.lineage,
    serial: state.serial,
    endpoint: state.endpoint,
    resources: idRecord(state.resource),
    resourceTypes: idRecord(state.resourceType),
  };
  // Only present while something is in flight, so a settled state stays as small as before.
  if (state.inFlight.length > 0) doc.inFlight = state.inFlight.map((b) => ({ ...b, ids: idRecord(b.ids) }));
  return doc;
}
