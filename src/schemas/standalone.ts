/**
 * Validators compiled ahead of time. Compiling the plan schema took ~100 ms of
 * every `decom apply`, and loading ajv's compiler ~40 ms more: `npm run build`
 * writes each schema file's validators as a CommonJS module beside the built
 * code (write-standalone.ts), and run time loads them instead. Each module
 * records a digest of the schema files it was made from; a module made from
 * other files (a stale build) is never used, and neither is one that is absent
 * (under tsx, in src/): the schema is compiled then, as it always was.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { compileFunction } from "node:vm";
import type { ValidateFunction } from "ajv";
import { closureDigest, SCHEMA_DIR, schemaClosure } from "./closure.js";
import type { Mode } from "./options.js";
import { CODE_ROOT } from "../version.js";

/** Beside the code that uses them: dist/schemas/standalone/ when built (src/schemas/standalone/ under tsx, never written). */
export const STANDALONE_DIR = new URL("schemas/standalone/", CODE_ROOT);

const requireModule = createRequire(import.meta.url);

export function moduleName(file: string, mode: Mode): string {
  return `${file}.${mode}.cjs`;
}

/** The schema file an id (`file` or `file#/pointer`) is in. */
export function fileOf(id: string): string {
  return id.split("#")[0] as string;
}

interface StandaloneModule {
  sourceDigest?: unknown;
  [id: string]: unknown;
}

const digests = new Map<string, string>();
const loadedModules = new Map<string, StandaloneModule>();

/**
 * A module's exports. Run as CommonJS with this package's `require`, not the
 * module's own: the ajv runtime helpers it names are this package's
 * dependencies, wherever the module lies.
 */
function load(path: URL): StandaloneModule {
  let loaded = loadedModules.get(path.href);
  if (!loaded) {
    const filename = fileURLToPath(path);
    const module = { exports: {} as StandaloneModule };
    compileFunction(readFileSync(filename, "utf8"), ["require", "module", "exports"], { filename })(requireModule, module, module.exports);
    loaded = module.exports;
    loadedModules.set(path.href, loaded);
  }
  return loaded;
}

/** The validator for `id` built ahead of time for `mode`, or undefined when there is none made from today's schema files. */
export function standaloneValidator(id: string, mode: Mode, dir: URL = STANDALONE_DIR, schemaDir: URL = SCHEMA_DIR) {
  const file = fileOf(id);
  const path = new URL(moduleName(file, mode), dir);
  if (!existsSync(path)) return undefined;
  const key = `${schemaDir.href}\n${file}`;
  let digest = digests.get(key);
  if (digest === undefined) {
    digest = closureDigest(schemaClosure(file, schemaDir));
    digests.set(key, digest);
  }
  let loaded: StandaloneModule;
  try {
    loaded = load(path);
  } catch {
    // A module that does not even load (a build cut short, a file damaged since) is as good as absent.
    return undefined;
  }
  if (loaded.sourceDigest !== digest) return undefined;
  const validate = loaded[id];
  return typeof validate === "function" ? (validate as ValidateFunction) : undefined;
}
