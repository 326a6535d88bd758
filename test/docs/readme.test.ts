/**
 * The README against the repository: the paths it names exist, its layout
 * covers src/, and the demo it describes is the one examples/demo.ts runs.
 * So neither can drift from the other unnoticed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const test = suite("docs: README");
const ROOT = new URL("../..", import.meta.url).pathname;
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The fenced block under "## Development": one line per folder or file, `path   what it holds`. */
function layoutBlock(): string[] {
  const section = README.slice(README.indexOf("## Development"));
  const block = /```\n([\s\S]*?)```/.exec(section);
  assert.ok(block, "the Development section has a layout block");
  return block[1]!.split("\n").filter((line) => line.trim() !== "");
}

/**
 * Every path the layout names: the first column (indented two under the last
 * top-level folder), and each file or folder named in a description, relative
 * to its line's folder. A line indented further continues the description above.
 */
function layoutPaths(): { path: string; line: string }[] {
  const paths: { path: string; line: string }[] = [];
  let parent = "";
  let dir = "";
  for (const line of layoutBlock()) {
    const indent = line.length - line.trimStart().length;
    let description = line.trim();
    if (indent <= 2) {
      const match = /^(\S+)(?:\s{2,}(.*))?$/.exec(line.trim());
      assert.ok(match, `a layout line is "path  description": ${line}`);
      const path = indent === 0 ? match[1]! : join(parent, match[1]!);
      if (indent === 0) parent = match[1]!;
      paths.push({ path, line });
      dir = path.endsWith("/") ? path : join(path, "..");
      description = match[2] ?? "";
    }
    for (const token of description.split(/[\s,;:()]+/)) {
      if (/^[\w.-][\w./-]*(\/|\.(ts|json|ya?ml|mjs))$/.test(token)) paths.push({ path: join(dir, token), line });
    }
  }
  return paths;
}

test("every path the layout names exists", () => {
  const paths = layoutPaths();
  assert.ok(paths.length > 30, `the layout names ${paths.length} paths`);
  const missing = paths.filter(({ path }) => !existsSync(join(ROOT, path)));
  assert.equal(missing, [], "paths named in the README's layout that do not exist");
});

test("the layout names every folder and file at the top of src/", () => {
  const named = new Set(layoutPaths().map(({ path }) => path.replace(/\/$/, "")));
  const entries = readdirSync(join(ROOT, "src"), { withFileTypes: true }).map((e) => `src/${e.name}`);
  const unnamed = entries.filter((entry) => !named.has(entry));
  assert.equal(unnamed, [], "entries of src/ the README's layout does not mention");
});

test("every repository path the README names in backticks exists, inside the repository", () => {
  const named = [...README.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1]!)
    .filter((text) => /^(\.\.\/|src\/|test\/|schemas\/|examples\/|\.ci\/)/.test(text));
  assert.ok(named.length > 10, `the README names ${named.length} paths`);
  for (const path of named) {
    assert.not.ok(path.startsWith("../"), `${path} is outside the repository: a reader of a clone cannot follow it`);
    const plain = path.split("*")[0]!;
    assert.ok(existsSync(join(ROOT, plain)), `${path} is named in the README but does not exist`);
  }
});

test("the demo the README describes runs the commands examples/demo.ts runs, in that order", () => {
  const demo = readFileSync(join(ROOT, "examples/demo.ts"), "utf8");
  const steps = [...demo.matchAll(/await step\((\[[^\]]*\])/g)].map((m) => `decom ${(JSON.parse(m[1]!) as string[]).join(" ")}`);
  assert.ok(steps.length >= 3, `the demo runs ${steps.length} steps`);
  const paragraph = README.slice(README.indexOf("The demo serves")).split("\n\n")[0]!.replace(/\s+/g, " ");
  const described = [...paragraph.matchAll(/`(decom [^`]*)`/g)].map((m) => m[1]!);
  assert.equal(described, steps);
});

test.run();
