/**
 * The source folders form layers: each imports only from its own folder and
 * from layers below it. The README states the order; this reads every import
 * in src/ and checks both.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const test = suite("docs: layers");
const src = new URL("../../src/", import.meta.url).pathname;
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** Top to bottom; names in one layer do not import each other. */
const LAYERS = [
  ["main", "index", "build"],
  ["cli"],
  ["operations", "emulator"],
  ["views"],
  ["apply", "restore"],
  ["plan", "archive"],
  ["state"],
  ["manifest"],
  ["waylay"],
  ["files"],
  ["schemas"],
  ["diagnostics"],
  ["text", "async", "version"],
];
const layerOf = new Map(LAYERS.flatMap((names, index) => names.map((name) => [name, index] as const)));

/** `cli` for src/cli/args.ts, `schemas` for src/schemas.ts. */
function unit(path: string): string {
  const [first = ""] = relative(src, path).split("/");
  return first.replace(/\.[jt]s$/, "");
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith(".ts") ? [path] : [];
  });
}

test("every folder and file at the top of src/ has a layer", () => {
  const units = new Set(sourceFiles(src).map(unit));
  assert.equal([...units].filter((u) => !layerOf.has(u)).sort(), [], "units without a layer: add them to LAYERS and the README");
});

/** Relative module paths a file imports: `from "…"`, a bare `import "…"`, and a dynamic `import("…")`. */
const IMPORTED = /(?:from|import)\s*\(?\s*"(\.[^"]+)"/g;

test("the import pattern sees every form an import takes", () => {
  const text = 'import { a } from "./a.js";\nexport { b } from "../b.js";\nimport "../c.js";\nconst d = () => import("../d.js");';
  assert.equal(
    [...text.matchAll(IMPORTED)].map((m) => m[1]),
    ["./a.js", "../b.js", "../c.js", "../d.js"],
  );
});

test("no import reaches a layer above its own, or sideways within one", () => {
  const wrong: string[] = [];
  for (const file of sourceFiles(src)) {
    const from = unit(file);
    for (const [, target] of readFileSync(file, "utf8").matchAll(IMPORTED)) {
      const to = unit(resolve(dirname(file), target as string));
      if (to === from) continue;
      if ((layerOf.get(to) ?? -1) <= (layerOf.get(from) ?? -1)) wrong.push(`${relative(src, file)} imports ${to} (${target})`);
    }
  }
  assert.equal(wrong, [], "imports against the layering");
});

test("the README states the same layers, top to bottom", () => {
  const stated = /^Layers, top to bottom: (.+)\.$/m.exec(readme)?.[1];
  assert.is(stated, LAYERS.map((names) => names.join(" + ")).join(" → "));
});

test.run();
