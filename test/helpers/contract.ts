/**
 * The official Waylay Resources OpenAPI contract (a verbatim copy of the
 * reference, in test/contract/), compiled with ajv, so tests check what the
 * emulator answers against the contract itself rather than against our own
 * reading of it.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import * as assert from "uvu/assert";
import { parse } from "yaml";

const ID = "waylay-resources.openapi.yaml";
const contract = parse(readFileSync(new URL(`../contract/${ID}`, import.meta.url), "utf8")) as { components: object };

// strictTypes is off because the contract leaves `type: object` to the enclosing schema in some allOf
// branches (ResourceTypeEntity's), which only the authoring check minds; validation is the same.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
// OpenAPI's annotations, and the document part holding the schemas: no validation meaning.
for (const keyword of ["components", "example", "x-classname", "x-comment"]) ajv.addKeyword(keyword);
// RFC 3339 date-time, as OpenAPI defines it.
ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i);
// The contract marks a batch's `uri` `format: uri` yet its own example is a path
// (`/resources/v1/batch/…`), so a URI reference is what it means.
ajv.addFormat("uri", (s: string) => URL.canParse(s, "http://base.invalid/"));
ajv.addSchema({ $id: ID, components: contract.components });

/** `pointer` is a JSON Pointer into the contract, e.g. `/components/schemas/ErrorResponse`. */
export function assertContractValid(pointer: string, data: unknown, what = pointer): void {
  const validate = ajv.getSchema(`${ID}#${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer} in ${ID}`);
  assert.ok(
    validate(data),
    `${what} does not validate against ${ID}#${pointer}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(data)}`,
  );
}

/** The schema of a response the contract declares under components.responses. */
export function responseSchema(name: string): string {
  return `/components/responses/${name}/content/application~1json/schema`;
}

/** Whether the contract's schema at `pointer` admits `data`: for tests that the emulator refuses no more and no less. */
export function contractAdmits(pointer: string, data: unknown): boolean {
  const validate = ajv.getSchema(`${ID}#${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer} in ${ID}`);
  return validate(data) === true;
}
