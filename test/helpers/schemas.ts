/**
 * The project's JSON Schemas, compiled here independently of src/schemas.ts,
 * so tests check files and bodies against the published schemas themselves.
 */
import { Ajv } from "ajv";
import * as assert from "uvu/assert";
import { readJsonFile } from "./json-file.js";

const dir = new URL("../../schemas/", import.meta.url);
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
for (const name of ["waylay-batch", "manifest", "state", "plan", "events", "journal", "archive"]) {
  ajv.addSchema(readJsonFile(new URL(`${name}.schema.json`, dir)) as object);
}

function validator(name: string) {
  const validate = ajv.getSchema(`${name}.schema.json`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate;
}

export function assertValid(
  schema: "waylay-batch" | "manifest" | "state" | "plan" | "events" | "archive",
  data: unknown,
  what: string = schema,
): void {
  const validate = validator(schema);
  const ok = validate(data);
  assert.ok(ok, `${what} does not validate against schemas/${schema}.schema.json: ${JSON.stringify(validate.errors)}`);
}

export function assertFileValid(schema: "state" | "plan", path: string): void {
  assertValid(schema, readJsonFile(path), path);
}
