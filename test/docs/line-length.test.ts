/**
 * No line over 140 characters in any file of the repository (issue 11, item 8).
 * Biome wraps code at 140 but leaves string literals, comments and JSON strings
 * as they are; this reads every file git knows of, so a long one fails here
 * naming file:line.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const test = suite("docs: line length");
const ROOT = new URL("../..", import.meta.url).pathname;
const MAX = 140;

/** Files whose lines are not ours to wrap, each with why. */
const EXEMPT: { pattern: RegExp; why: string }[] = [
  { pattern: /^README\.md$/, why: "wide tables and verbatim command output" },
  { pattern: /^package-lock\.json$/, why: "written by npm" },
  { pattern: /^test\/state\/fixtures\//, why: "pinned bytes the state round-trip compares" },
  { pattern: /^examples\/world\.json$/, why: "the demo's world, one entity per line" },
];

/** Tracked files and new ones not ignored: a long line fails before it is committed. */
function repositoryFiles(): string[] {
  const listing = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  const files = [...new Set(listing.split("\0").filter((path) => path !== ""))];
  // --cached still lists a file deleted from the working tree.
  return files.filter((path) => existsSync(join(ROOT, path))).sort();
}

const checked = repositoryFiles().filter((path) => !EXEMPT.some(({ pattern }) => pattern.test(path)));

test("the check reads the whole tree, not an empty listing", () => {
  for (const path of ["src/main.ts", "schemas/plan.schema.json", "test/docs/line-length.test.ts", ".biome.jsonc"]) {
    assert.ok(checked.includes(path), `${path} is among the files checked`);
  }
  assert.ok(checked.length > 200, `${checked.length} files checked`);
});

test(`no line over ${MAX} characters`, () => {
  const long: string[] = [];
  for (const path of checked) {
    readFileSync(join(ROOT, path), "utf8")
      .split("\n")
      .forEach((line, index) => {
        // Characters as a reader counts them: code points, not UTF-16 units.
        const length = [...line].length;
        if (length > MAX) long.push(`${path}:${index + 1}: ${length} characters`);
      });
  }
  assert.equal(long, [], `lines over ${MAX} characters (wrap the string or reword the comment)`);
});

test.run();
