/**
 * Reading and writing the state file, in Terraform statefile's shape: read
 * (JSON, `version` sniffed) → upgrade chain (`upgrade/`) → schema → the
 * in-memory model → write, always at the current version and stamped with the
 * decom that wrote it. A file it does not understand is refused untouched;
 * empty, corrupt, newer, unknown-older and invalid files are distinct errors.
 * Writing is deterministic; the session makes it atomic.
 */
import { DecomError, error } from "../diagnostics.js";
import { canonicalJson, canonicalJsonPieces } from "../files/canonical-json.js";
import { localDisk } from "../files/disk.js";
import { idRecord } from "../files/id-record.js";
import { compareStrings } from "../text/compare.js";
import { fileError, isMissing } from "../files/fs-error.js";
import { shellWord } from "../text/shell-word.js";
import { KIND_NAMES, recogniseFile } from "../files/file-kind.js";
import { describeSchemaErrors, validateStateDocument } from "../schemas.js";
import { DECOM_VERSION } from "../version.js";
import { STATE_VERSION, type AppliedPlan, type InFlightBatch, type State, type StateRecord } from "./model.js";
import { upgradeToCurrent, type VersionedDocument } from "./upgrade/index.js";

interface InFlightDocument {
  kind: InFlightBatch["kind"];
  ids: Record<string, string>;
  cascade?: InFlightBatch["cascade"];
  submitted: string;
  batchId?: string;
  statusUrl?: string;
  apply?: number;
}

/** The file form of the current version (schemas/state.schema.json). */
interface StateDocument {
  version: typeof STATE_VERSION;
  /** The decom that last wrote the file; absent in files written before it was recorded. */
  decomVersion?: string;
  lineage: string;
  serial: number;
  endpoint: string;
  manifest?: string;
  applies?: AppliedPlan[];
  resources: Record<string, StateRecord>;
  resourceTypes: Record<string, StateRecord>;
  inFlight?: InFlightDocument[];
}

/** `null` when there is no state file yet (the first apply creates it). `namedAs`: see parseState. */
export function readStateFile(path: string, shownAs: string = path, namedAs: string = shownAs): State | null {
  let text: string;
  try {
    text = localDisk.readBytes(path).toString("utf8");
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
    if (kind === "manifest")
      throw new DecomError(
        error("state.wrong-kind", `${namedAs} is ${KIND_NAMES.manifest}, not a state file (the manifest is given with -f)`),
      );
    if (kind === "journal")
      throw new DecomError(
        error("state.wrong-kind", `${namedAs} is ${KIND_NAMES.journal}, not a state file (give the state file it belongs to)`),
      );
    if (kind === "plan")
      throw new DecomError(
        error(
          "state.wrong-kind",
          `${namedAs} is ${KIND_NAMES.plan}, not a state file (a saved plan is applied with decom apply ${shellWord(path)})`,
        ),
      );
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
  const current = upgradeToCurrent(data as VersionedDocument, path);
  if (!validateStateDocument(current)) {
    throw new DecomError(
      error("state.invalid", `${path}: not a valid state file: ${describeSchemaErrors(validateStateDocument.errors)}. ${untouched}`),
    );
  }
  const doc = current as unknown as StateDocument;
  const inconsistent = consistencyProblem(doc);
  if (inconsistent !== undefined)
    throw new DecomError(error("state.invalid", `${path}: not a valid state file: ${inconsistent}. ${untouched}`));
  const state: State = {
    version: STATE_VERSION,
    lineage: doc.lineage,
    serial: doc.serial,
    endpoint: doc.endpoint,
    applies: doc.applies ?? [],
    resource: new Map(Object.entries(doc.resources)),
    resourceType: new Map(Object.entries(doc.resourceTypes)),
    inFlight: (doc.inFlight ?? []).map((b) => ({ ...b, ids: new Map(Object.entries(b.ids)) })),
  };
  if (doc.decomVersion !== undefined) state.decomVersion = doc.decomVersion;
  if (doc.manifest !== undefined) state.manifest = doc.manifest;
  return state;
}

/**
 * What the schema cannot say: applies are numbered 1, 2, 3… in order, each
 * read and wrote serials no later than the state's, and every apply a record
 * or batch names exists. decom's re-run of a saved plan trusts `applies`, so
 * a hand edit that breaks them is refused rather than believed.
 */
function consistencyProblem(doc: StateDocument): string | undefined {
  const applies = doc.applies ?? [];
  for (const [index, a] of applies.entries()) {
    const at = `/applies/${index}`;
    if (a.number !== index + 1) return `${at}/number is ${a.number}; applies are numbered 1, 2, 3… in order`;
    if (a.through > doc.serial) return `${at}/through is ${a.through}, after the state's serial ${doc.serial}`;
    if (a.basedOn > a.through) return `${at}/basedOn is ${a.basedOn}, after its through ${a.through}`;
  }
  const known = (n: number | undefined) => n === undefined || n <= applies.length;
  for (const [field, records] of [
    ["resources", doc.resources],
    ["resourceTypes", doc.resourceTypes],
  ] as const) {
    for (const [id, r] of Object.entries(records)) {
      if (!known(r.apply) || !(r.history ?? []).every((h) => known(h.apply)))
        return `/${field}/${JSON.stringify(id)} names an apply that /applies does not hold`;
    }
  }
  for (const [index, b] of (doc.inFlight ?? []).entries())
    if (!known(b.apply)) return `/inFlight/${index}/apply is ${b.apply}, which /applies does not hold`;
  return undefined;
}

/** The state as JSON, as it was read: `decomVersion` is the file's own (for show --json, which writes no file). */
export function serializeState(state: State): string {
  return canonicalJson(stateDocument(state, state.decomVersion));
}

/**
 * The bytes of the state file, in pieces (see canonicalJsonPieces): what every
 * write of the state writes. It is stamped with the decom writing it,
 * `writtenBy` (this decom; the pinned fixtures give a fixed one).
 */
export function stateFilePieces(state: State, writtenBy: string = DECOM_VERSION): Iterable<string> {
  return canonicalJsonPieces(stateDocument(state, writtenBy));
}

function stateDocument(state: State, decomVersion: string | undefined): StateDocument {
  const doc: StateDocument = {
    version: STATE_VERSION,
    lineage: state.lineage,
    serial: state.serial,
    endpoint: state.endpoint,
    resources: idRecord(inKeyOrder(state.resource)),
    resourceTypes: idRecord(inKeyOrder(state.resourceType)),
  };
  if (decomVersion !== undefined) doc.decomVersion = decomVersion;
  if (state.manifest !== undefined) doc.manifest = state.manifest;
  // Only present once there is something to say, so that a state upgraded from version 1 reads as before.
  if (state.applies.length > 0) doc.applies = state.applies;
  // Only present while something is in flight, so a settled state stays as small as before.
  if (state.inFlight.length > 0) doc.inFlight = state.inFlight.map((b) => ({ ...b, ids: idRecord(b.ids) }));
  return doc;
}

/**
 * The records in the order the file lists them: an apply adds them as batches
 * finish, out of order, and a record of them in that order was copied whole
 * to be sorted when written (100,000 records: two more maps of them, at the
 * apply's peak of memory).
 */
function* inKeyOrder<V>(records: Map<string, V>): Generator<readonly [string, V]> {
  for (const id of [...records.keys()].sort(compareStrings)) yield [id, records.get(id) as V];
}
