/**
 * Large manifests are parsed in slices of items; what comes out (data, and the
 * line and column of every problem) must be exactly what a whole-document parse
 * gives.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { parseChunkedSource, plainIdItems } from "../../src/manifest/chunked-source.js";
import { parseManifest } from "../../src/manifest/load.js";
import { parseWholeSource } from "../../src/manifest/source.js";

const test = suite("manifest: large manifests");
const N = 60_000; // about 1.5 MB: above the slicing threshold, six slices

function manifest(edit: (lines: string[]) => void = () => {}): string {
  const lines = ["# a large retirement", "version: 1", "defaults:", "  cascade: [tasks]", "resources:", "  # from the asset export"];
  for (let i = 1; i <= N; i++) {
    lines.push(`  - id: dev-${String(i).padStart(6, "0")}`);
    if (i % 7_000 === 0) lines.push("    cascade: [alarms]", "  # a comment between items");
    if (i === 30_000) lines.push("  - select:", "      customer: acme", "      tags: [retired, hvac]");
  }
  lines.push("resourceTypes:", "  - id: legacy", "protect:", "  resources: [hq]", "guard:", "  maxDeletes: 100000");
  edit(lines);
  return lines.join("\n") + "\n";
}

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

test("CRLF line endings: the sliced parse reads the same ids as with LF (no \\r at a slice's last item)", () => {
  const lf = manifest();
  const crlf = lf.replace(/\n/g, "\r\n");
  assert.ok(parseChunkedSource(crlf), "this manifest is sliced");
  assert.equal(parseManifest(crlf, "big.yaml", "x").resources, parseManifest(lf, "big.yaml", "x").resources);
  assert.equal(parseManifest(crlf, "big.yaml", "x").resourceTypes, [{ id: "legacy" }]);
});

test("the sliced parse yields exactly the data of a whole-document parse", () => {
  const text = manifest();
  const sliced = parseChunkedSource(text);
  assert.ok(sliced, "this manifest is sliced");
  assert.equal(sliced.data, parseWholeSource(text).data);
  const m = parseManifest(text, "big.yaml", "x");
  assert.is(m.resources.length, N);
  assert.equal(m.resources[6_999], { id: "dev-007000", cascade: ["alarms"] });
  assert.equal(m.resources[7_000], { id: "dev-007001", cascade: ["tasks"] });
  assert.equal(
    m.selectors.map((s) => s.entry),
    ["select?customer=acme&tag=hvac&tag=retired"],
  );
  assert.equal([m.protect.resources, m.guard.maxDeletes, m.resourceTypes], [["hq"], 100_000, [{ id: "legacy" }]]);
});

test("a problem deep inside a slice is reported at its own line and column", () => {
  const text = manifest((lines) => {
    const i = lines.indexOf("  - id: dev-045678");
    lines.splice(i + 1, 0, "    cascde: [tasks]");
  });
  const expected = `big.yaml:${lineOf(text, "cascde")}:5: resources[45678]: unknown key "cascde" (did you mean "cascade"?)`;
  assert.throws(
    () => parseManifest(text, "big.yaml", "x"),
    (err: Error) => err.message === expected,
  );
});

test("positions outside the lists, after and between them, are the file's own (the lists' lines are not parsed again)", () => {
  const text = manifest((lines) => {
    lines.splice(lines.indexOf("resourceTypes:"), 0, "# between the lists", "", "protect:", "  resourcez: [a]");
    lines.splice(lines.indexOf("protect:", lines.indexOf("resourceTypes:")), 2);
    lines.push("guard2: 1");
  });
  const sliced = parseChunkedSource(text);
  assert.ok(sliced, "this manifest is sliced");
  assert.equal(sliced.locator.at(["guard", "maxDeletes"]), { line: lineOf(text, "maxDeletes"), column: 15 });
  assert.equal(sliced.locator.at(["resourceTypes", 0, "id"]), { line: lineOf(text, "id: legacy"), column: 9 });
  assert.equal(sliced.locator.keyAt(["protect"], "resourcez"), { line: lineOf(text, "resourcez"), column: 3 });
  assert.equal(sliced.locator.at(["version"]), { line: 2, column: 10 });
  assert.throws(
    () => parseManifest(text, "big.yaml", "x"),
    (err: Error) =>
      err.message ===
      `big.yaml:${lineOf(text, "guard2")}:1: unknown key "guard2" (did you mean "guard"?)\n` +
        `big.yaml:${lineOf(text, "resourcez")}:3: protect: unknown key "resourcez" (did you mean "resources"?)`,
  );
});

test("an id listed in two slices names both lines", () => {
  const text = manifest((lines) => {
    const i = lines.indexOf("  - id: dev-055000");
    lines[i] = "  - id: dev-000003";
  });
  const first = lineOf(text, "id: dev-000003");
  const second = text.split("\n").lastIndexOf("  - id: dev-000003") + 1;
  const expected = `big.yaml:${second}:9: resources[55000].id: duplicate id "dev-000003" (first listed at line ${first})`;
  assert.throws(
    () => parseManifest(text, "big.yaml", "x"),
    (err: Error) => err.message === expected,
  );
});

test("a number where an id must be a string keeps its quoting hint", () => {
  const text = manifest((lines) => {
    const i = lines.indexOf("  - id: dev-050001");
    lines[i] = "  - id: 0042";
  });
  const expected =
    `big.yaml:${lineOf(text, "id: 0042")}:9: resources[50001].id: must be a string; ` +
    'write it in quotes ("0042") so YAML does not read it as number';
  assert.throws(
    () => parseManifest(text, "big.yaml", "x"),
    (err: Error) => err.message === expected,
  );
});

test("anything unusual falls back to the whole-document parse, with the same result", () => {
  for (const edit of [
    (lines: string[]) => lines.splice(10, 0, "  - id: &anchor shared"),
    (lines: string[]) => lines.splice(10, 0, "  - id: [broken"),
    (lines: string[]) => lines.unshift("---"),
  ]) {
    assert.is(parseChunkedSource(manifest(edit)), undefined);
  }
  const broken = manifest((lines) => lines.splice(40_000, 0, "  - id: [broken"));
  assert.throws(
    () => parseManifest(broken, "big.yaml", "x"),
    (err: Error) => /^big\.yaml:\d+:\d+: invalid YAML: /.test(err.message),
  );
});

/** Words that look like ids; YAML reads some of them as something else. */
const WORDS = [
  "dev-000001",
  "3f2a9c1e-77b0-4c1d-9e8f-0123456789ab",
  "null",
  "Null",
  "NULL",
  "nULL",
  "true",
  "True",
  "TRUE",
  "tRUE",
  "false",
  "False",
  "yes",
  "no",
  "on",
  "off",
  "y",
  "n",
  "0",
  "00",
  "0042",
  "42",
  "1_000",
  "0x1F",
  "0x1G",
  "0o17",
  "0o19",
  "0b101",
  "1e5",
  "1E5",
  "1e-5",
  "1e+5",
  "12e",
  "e5",
  "1.5",
  "1.",
  "1.2.3",
  "1.5e3",
  "inf",
  "nan",
  "NaN",
  "2001-12-14",
  "2001-12-14t21.59.43.10-05.00",
  "1-2",
  "a.b_c-d",
];

test("an id list read without the YAML parser gives exactly what YAML gives, or is left to YAML", () => {
  let readDirectly = 0;
  for (const word of WORDS) {
    for (const text of [`  - id: ${word}\n`, `  - id:   ${word}  \r\n  # note\n\n`]) {
      const direct = plainIdItems({ firstLine: 0, text, firstItem: 0, items: 1, indent: "  ", lines: 1 });
      const yaml = parse(text) as unknown[];
      if (direct === undefined)
        assert.not.type((yaml[0] as { id: unknown }).id, "string", `${word} is left to YAML only if YAML does not read a string`);
      else {
        readDirectly++;
        assert.equal(direct, yaml, word);
      }
    }
  }
  assert.ok(readDirectly >= 30, `${readDirectly} read directly`);
  for (const text of ["  - id: a\n    cascade: [tasks]\n", "  - id: 'a'\n", "  - id: a # why\n", "   - id: a\n", "  - id: a\n  - id: b\n"])
    assert.is(plainIdItems({ firstLine: 0, text, firstItem: 0, items: 1, indent: "  ", lines: 1 }), undefined, text);
});

test("a large manifest of such words: the same data as a whole-document parse", () => {
  const lines = ["version: 1", "resources:"];
  for (let i = 0; i < N; i++) lines.push(`  - id: ${i % 1000 === 0 ? (WORDS[(i / 1000) % WORDS.length] as string) : `d-${i}`}`);
  const text = lines.join("\n") + "\n";
  assert.equal(parseChunkedSource(text)?.data, parseWholeSource(text).data);
});

test.run();
