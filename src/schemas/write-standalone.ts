/**
 * `npm run build` runs this (from dist/) to write every validator decom uses
 * as standalone modules (see standalone.ts): one per schema file and mode.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
// A CommonJS module: its default import is the module, whose `default` is the function.
import standaloneCode from "ajv/dist/standalone/index.js";
import { VALIDATED_IDS } from "../schemas.js";
import { closureDigest, SCHEMA_DIR, schemaClosure } from "./closure.js";
import { MODES, type Mode } from "./options.js";
import { fileOf, moduleName, STANDALONE_DIR } from "./standalone.js";

/** The module text holding `ids` (all in one schema file) compiled for `mode`. */
export function standaloneModule(file: string, ids: readonly string[], mode: Mode, schemaDir: URL = SCHEMA_DIR): string {
  const ajv = new Ajv({ ...MODES[mode], code: { source: true } });
  const texts = schemaClosure(file, schemaDir);
  for (const { text } of texts) ajv.addSchema(JSON.parse(text) as Record<string, unknown>);
  const code = standaloneCode.default(ajv, Object.fromEntries(ids.map((id) => [id, id])));
  return `${code}\nexports.sourceDigest = ${JSON.stringify(closureDigest(texts))};\n`;
}

/** Writes the modules for `ids` into `dir` (emptied first); returns their names. */
export function writeStandaloneModules(ids: Iterable<string>, dir: URL = STANDALONE_DIR, schemaDir: URL = SCHEMA_DIR): string[] {
  const byFile = new Map<string, string[]>();
  for (const id of ids) byFile.set(fileOf(id), [...(byFile.get(fileOf(id)) ?? []), id]);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, fileIds] of byFile) {
    for (const mode of Object.keys(MODES) as Mode[]) {
      const name = moduleName(file, mode);
      writeFileSync(new URL(name, dir), standaloneModule(file, fileIds, mode, schemaDir));
      written.push(name);
    }
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const written = writeStandaloneModules(VALIDATED_IDS);
  process.stdout.write(`Wrote ${written.length} standalone validator modules to ${fileURLToPath(STANDALONE_DIR)}\n`);
}
