/**
 * Every file decom reads on a user's behalf (manifest, saved plan, state, its
 * journal and lock, a profile, a file to show, an emulator seed) is read
 * through the Disk; only decom's own package files (its version, its schemas
 * and the validators built from them) are read directly. This reads every file in src/ and checks so.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const test = suite("files: one reading path");
const src = new URL("../../src/", import.meta.url).pathname;
/** The Disk itself, and the readers of decom's own package files. */
const ALLOWED = new Set(["files/disk.ts", "version.ts", "schemas/closure.ts", "schemas/standalone.ts"]);
const READS = /\b(readFileSync|readFile|createReadStream|readSync)\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith(".ts") ? [path] : [];
  });
}

test("no file in src/ but the Disk reads a user's file from node:fs", () => {
  const readers = sourceFiles(src)
    .map((path) => relative(src, path))
    .filter((path) => !ALLOWED.has(path) && READS.test(readFileSync(join(src, path), "utf8")));
  assert.equal(readers, [], "read these files through localDisk (files/disk.ts) instead");
});

test.run();
