/**
 * The JSON Schemas in `schemas/` are the single source of validation for every
 * file decom reads or writes and every batch body it sends. Each is read and
 * compiled once, the first time something is validated against it (compiling
 * them all took half a second of every command, most of it for schemas the
 * command never uses).
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

// Both src/ (under tsx) and dist/ (built) sit one level below the package root.
const schemaDir = new URL("../schemas/", import.meta.url);

// strictRequired is off only because a manifest entry is `oneOf` [required id] [required select],
// whose branches name properties declared beside them; every other strict check stays on.
const STRICT = { strict: true, strictRequired: false } as const;
/**
 * Two compilations of the same schemas: a lean one that stops at the first
 * error of each branch and copies no data into it (each change of a
 * 100,000-change plan tries every branch of a `oneOf`, and the full one made
 * verbose error objects for every keyword of every branch that failed: 200 MB of
 * garbage), asked first; and one that lists every error with its data, asked
 * only for a value the lean one refused, to say why.
 * Validity is the schema's either way.
 */
const lean = { ajv: new Ajv(STRICT), loaded: new Set<string>() };
const full = { ajv: new Ajv({ ...STRICT, allErrors: true, verbose: true }), loaded: new Set<string>() };

/** Adds the schema file `name` to `into`, after the files its `$ref`s name. */
function load(into: { ajv: Ajv; loaded: Set<string> }, name: string): void {
  if (into.loaded.has(name)) return;
  into.loaded.add(name);
  const text = readFileSync(new URL(name, schemaDir), "utf8");
  for (const [, file] of text.matchAll(/"\$ref":\s*"([^"#]+)/g)) load(into, file as string);
  into.ajv.addSchema(JSON.parse(text) as Record<string, unknown>);
}

function compile(into: { ajv: Ajv; loaded: Set<string> }, id: string): ValidateFunction {
  load(into, id.split("#")[0] as string);
  const validate = into.ajv.getSchema(id);
  if (!validate) throw new Error(`schema ${id} is not loaded`);
  return validate;
}

/** A schema's validator (its `errors` those of its last call, every one), compiled on its first call. */
export interface Validator {
  (data: unknown): boolean;
  errors: ErrorObject[] | null | undefined;
}

function compiled(id: string): Validator {
  let first: ValidateFunction | undefined;
  let explain: ValidateFunction | undefined;
  const validator = ((data: unknown): boolean => {
    first ??= compile(lean, id);
    if (first(data) === true) {
      validator.errors = null;
      return true;
    }
    explain ??= compile(full, id);
    const valid = explain(data) as boolean;
    validator.errors = explain.errors;
    return valid;
  }) as Validator;
  validator.errors = null;
  return validator;
}

export const validateManifestDocument = compiled("manifest.schema.json");
export const validateStateDocument = compiled("state.schema.json");
export const validatePlanDocument = compiled("plan.schema.json");
export const validateJournalRecord = compiled("journal.schema.json");
/** One validator per journal record kind, so an error names the fields of the record it is about. */
export const JOURNAL_RECORD_KINDS = ["begin", "apply", "recorded", "removed", "submit", "accepted", "finished"] as const;
export const validateJournalRecordOf = new Map(
  JOURNAL_RECORD_KINDS.map((kind) => [kind as string, compiled(`journal.schema.json#/definitions/${kind}`)]),
);
/** One line of an archive, and one validator per line kind (so an error names that kind's fields). */
export const validateArchiveLine = compiled("archive.schema.json");
export const ARCHIVE_LINE_KINDS = ["archived", "restored"] as const;
export const validateArchiveLineOf = new Map(
  ARCHIVE_LINE_KINDS.map((kind) => [kind as string, compiled(`archive.schema.json#/definitions/${kind}`)]),
);
export const validateBatchBody = compiled("waylay-batch.schema.json");
export const validateResourceBatchBody = compiled("waylay-batch.schema.json#/definitions/BatchResourceDeleteOperation");
export const validateResourceTypeBatchBody = compiled("waylay-batch.schema.json#/definitions/BatchResourceTypeDeleteOperation");
/** The bodies of the two create operations (POST /resources/v1/resources and /resourcetypes). */
export const validateCreateResourceBody = compiled("waylay-create.schema.json#/definitions/ResourceEntity");
export const validateCreateResourceTypeBody = compiled("waylay-create.schema.json#/definitions/ResourceTypeWithConstraints");

export type SchemaError = ErrorObject;

/** `/query/ids <- must NOT have fewer than 1 items`, one line per error. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} <- ${e.message ?? e.keyword}`).join("; ");
}
