/**
 * The JSON Schemas in `schemas/` are the single source of validation for every
 * file decom reads or writes and every batch body it sends. Each is read and
 * compiled once, the first time something is validated against it (compiling
 * them all took half a second of every command, most of it for schemas the
 * command never uses), or built ahead of time by `npm run build`
 * (schemas/standalone.ts).
 */
import { createRequire } from "node:module";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import { schemaClosure } from "./schemas/closure.js";
import { MODES, type Mode } from "./schemas/options.js";
import { fileOf, standaloneValidator } from "./schemas/standalone.js";

const requireModule = createRequire(import.meta.url);

/** One ajv per mode, made (and ajv loaded) only when a schema has no standalone validator. */
const compilers = new Map<Mode, { ajv: Ajv; loaded: Set<string> }>();

function compile(mode: Mode, id: string): ValidateFunction {
  let into = compilers.get(mode);
  if (!into) {
    const { Ajv: AjvClass } = requireModule("ajv") as typeof import("ajv");
    into = { ajv: new AjvClass(MODES[mode]), loaded: new Set() };
    compilers.set(mode, into);
  }
  for (const { name, text } of schemaClosure(fileOf(id))) {
    if (into.loaded.has(name)) continue;
    into.loaded.add(name);
    into.ajv.addSchema(JSON.parse(text) as Record<string, unknown>);
  }
  const validate = into.ajv.getSchema(id);
  if (!validate) throw new Error(`schema ${id} is not loaded`);
  return validate;
}

/** The validator for `id` in `mode`: built ahead of time when the build made one from these schemas, else compiled now. */
function validatorFor(mode: Mode, id: string): ValidateFunction {
  return standaloneValidator(id, mode) ?? compile(mode, id);
}

/** `id` compiled now, whatever the build made: what a standalone validator must answer as (test/schemas). */
export function compileAtRunTime(id: string, mode: Mode = "full"): ValidateFunction {
  return compile(mode, id);
}

/** Every schema id decom validates against: what `npm run build` compiles ahead of time. */
export const VALIDATED_IDS = new Set<string>();

/** A schema's validator (its `errors` those of its last call, every one), compiled on its first call. */
export interface Validator {
  (data: unknown): boolean;
  errors: ErrorObject[] | null | undefined;
}

function compiled(id: string): Validator {
  VALIDATED_IDS.add(id);
  let first: ValidateFunction | undefined;
  let explain: ValidateFunction | undefined;
  const validator = ((data: unknown): boolean => {
    first ??= validatorFor("lean", id);
    if (first(data) === true) {
      validator.errors = null;
      return true;
    }
    explain ??= validatorFor("full", id);
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
