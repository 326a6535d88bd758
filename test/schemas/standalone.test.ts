/**
 * Validators built ahead of time (src/schemas/standalone.ts) must be the
 * schemas' own: the same verdict and the same errors as the ones compiled at
 * run time, and never used once a schema file has changed since the build.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as schemas from "../../src/schemas.js";
import { SCHEMA_DIR } from "../../src/schemas/closure.js";
import { standaloneValidator } from "../../src/schemas/standalone.js";
import { writeStandaloneModules } from "../../src/schemas/write-standalone.js";
import { buildDist } from "../helpers/build.js";

const test = suite("schemas: built ahead of time");

const folder = (prefix: string) => pathToFileURL(`${mkdtempSync(join(tmpdir(), prefix))}/`);

/** Values each validator is asked about: some valid for some schema, most refused, for different reasons. */
const SAMPLES: unknown[] = [
  42,
  null,
  {},
  { version: 1, resources: [{ id: "a" }, { select: { resourceTypeId: "t" } }] },
  { version: 1, resources: [{ id: "" }], extra: true },
  { entity: "resource", action: "delete", query: { ids: ["a", "b"] } },
  { entity: "resource", action: "delete", query: { ids: [] } },
  { entity: "resourcetype", action: "delete", query: { ids: ["t"] } },
  { id: "r", resourceTypeId: "t", name: "n" },
  { formatVersion: 4, changes: [{ action: "delete", kind: "resource", id: 7 }] },
];

test("every validator decom uses, built ahead of time, answers as the one compiled at run time", () => {
  const out = folder("decom-standalone-");
  try {
    const written = writeStandaloneModules(schemas.VALIDATED_IDS, out);
    assert.ok(written.length >= 14, written.join(", "));
    let compared = 0;
    for (const id of schemas.VALIDATED_IDS) {
      const lean = standaloneValidator(id, "lean", out);
      const full = standaloneValidator(id, "full", out);
      assert.type(lean, "function", `${id} lean`);
      assert.type(full, "function", `${id} full`);
      const runtime = schemas.compileAtRunTime(id);
      for (const value of SAMPLES) {
        const verdict = runtime(value);
        assert.is(lean?.(value), verdict, `${id}: ${JSON.stringify(value)}`);
        assert.is(full?.(value), verdict, `${id}: ${JSON.stringify(value)}`);
        assert.equal(full?.errors ?? null, runtime.errors ?? null, `${id}: errors for ${JSON.stringify(value)}`);
        compared++;
      }
    }
    assert.ok(compared >= 15 * SAMPLES.length, `${compared} comparisons`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("a module built from other schema files, or damaged, is never used", () => {
  const out = folder("decom-standalone-");
  const schemaDir = folder("decom-schemas-");
  try {
    cpSync(SCHEMA_DIR, schemaDir, { recursive: true });
    writeStandaloneModules(["waylay-batch.schema.json", "plan.schema.json"], out, schemaDir);
    assert.type(standaloneValidator("plan.schema.json", "lean", out, schemaDir), "function");
    // The plan schema refers to the batch schema: a change to either makes the plan's module stale.
    const edited = folder("decom-schemas-");
    cpSync(schemaDir, edited, { recursive: true });
    writeFileSync(new URL("waylay-batch.schema.json", edited), `${JSON.stringify({ $id: "waylay-batch.schema.json" })}\n`);
    assert.is(standaloneValidator("plan.schema.json", "lean", out, edited), undefined);
    assert.is(standaloneValidator("waylay-batch.schema.json", "full", out, edited), undefined);
    assert.is(standaloneValidator("state.schema.json", "lean", out, schemaDir), undefined, "not built");
    // A module cut short is never used either.
    writeFileSync(new URL("state.schema.json.full.cjs", out), '"use strict";\nexports["state.schema.json"] = function (');
    assert.is(standaloneValidator("state.schema.json", "full", out, schemaDir), undefined, "damaged");
    rmSync(edited, { recursive: true, force: true });
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(schemaDir, { recursive: true, force: true });
  }
});

test("the build writes a current module for every validator decom uses", async () => {
  await buildDist();
  const built = new URL("../../dist/schemas/standalone/", import.meta.url);
  for (const id of schemas.VALIDATED_IDS)
    for (const mode of ["lean", "full"] as const) assert.type(standaloneValidator(id, mode, built), "function", `${id} ${mode}`);
});

test.run();
