/**
 * `npm run build` runs this (from dist/, after tsc) to bundle the executable:
 * dist/main.js and everything it imports, yaml and ky included, into
 * dist/decom.js and a few chunks (one per lazily loaded command), which
 * package.json's `bin` names. Loading ~170 modules one by one took ~100 ms of
 * every command's start. dist/decom-run.js and dist/decom-disk.js are cli/run
 * and files/disk from the same chunks, for `npm run bench`, which runs the
 * bundle in-process to count what it writes. The library (dist/index.js) is
 * tsc's output, unbundled. ajv stays outside: only a schema without a
 * standalone validator needs it (see schemas/standalone.ts).
 *
 * Every chunk lies directly in dist/, as version.ts does in the unbundled
 * code: the paths to decom's own files start from there (CODE_ROOT).
 */
import { readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { CODE_ROOT } from "../version.js";

const CHUNK_PREFIX = "decom-chunk-";

for (const name of readdirSync(CODE_ROOT)) if (name.startsWith(CHUNK_PREFIX)) rmSync(new URL(name, CODE_ROOT));

await build({
  // A path, not a URL's percent-encoded pathname: a package folder may have a space in its name.
  absWorkingDir: fileURLToPath(new URL("../", CODE_ROOT)),
  entryPoints: { decom: "dist/main.js", "decom-run": "dist/cli/run.js", "decom-disk": "dist/files/disk.js" },
  outdir: "dist",
  chunkNames: `${CHUNK_PREFIX}[hash]`,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["ajv"],
  // yaml is CommonJS and requires Node's own modules: an ES module has no `require` of its own.
  banner: { js: "import { createRequire as __decomRequireFrom } from 'node:module'; const require = __decomRequireFrom(import.meta.url);" },
  logLevel: "warning",
});
