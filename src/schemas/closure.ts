/** A schema file and the files its `$ref`s name, read from the package's `schemas/` folder. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { PACKAGE_ROOT } from "../version.js";

export const SCHEMA_DIR = new URL("schemas/", PACKAGE_ROOT);

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
