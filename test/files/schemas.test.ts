/**
 * src/schemas.ts compiles each schema on its first use: every one of its
 * validators must still compile (ajv's strict mode refuses a faulty schema only
 * then) and keep the errors of its last call.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as schemas from "../../src/schemas.js";

const test = suite("schemas: compiled on first use");

const validators: [string, schemas.Validator][] = [];
for (const [name, value] of Object.entries(schemas)) {
  if (value instanceof Map) for (const [kind, v] of value as Map<string, schemas.Validator>) validators.push([`${name}(${kind})`, v]);
  else if (name.startsWith("validate")) validators.push([name, value as schemas.Validator]);
}

test("every validator compiles and refuses a value of the wrong shape, naming why", () => {
  assert.ok(validators.length >= 15, `${validators.length} validators`);
  for (const [name, validate] of validators) {
    assert.is(validate(42), false, name);
    assert.ok((validate.errors ?? []).length > 0, `${name} says why`);
  }
});

test("a validator's errors are those of its last call", () => {
  const validate = schemas.validateResourceBatchBody;
  assert.is(validate({ entity: "resource", action: "delete", query: { ids: [] } }), false);
  assert.match(schemas.describeSchemaErrors(validate.errors), /\/query\/ids/);
  assert.is(validate({ entity: "resource", action: "delete", query: { ids: ["a"] } }), true);
  assert.is(validate.errors, null);
});

test.run();
