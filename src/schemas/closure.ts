/** A schema file and the files its `$ref`s name, read from the package's `schemas/` folder. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

// Both src/ (under tsx) and dist/ (built) sit one level below the package root.
export const SCHEMA_DIR = new URL("../../schemas/", import.meta.url);

export interface SchemaText {
  name: string;
  text: string;
}

/** `name` and every file it refers to, each once, a file after the files it refers to. */
export function schemaClosure(name: string, dir: URL = SCHEMA_DIR): SchemaText[] {
  const seen = new Set<string>();
  const texts: SchemaText[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(new URL(file, dir), "utf8");
    for (const [, ref] of text.matchAll(/"\$ref":\s*"([^"#]+)/g)) visit(ref as string);
    texts.push({ name: file, text });
  };
  visit(name);
  return texts;
}

/** What a validator was built from: changes whenever any of those files does. */
export function closureDigest(texts: readonly SchemaText[]): string {
  const hash = createHash("sha256");
  for (const { name, text } of texts) hash.update(`${name}\n${text.length}\n${text}`);
  return hash.digest("hex");
}
