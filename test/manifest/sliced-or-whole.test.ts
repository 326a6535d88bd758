/**
 * Every manifest goes through the sliced reading first (chunked-source.ts); it
 * must give YAML's reading or decline, never a third one. These are the files
 * an adversary found it misread: each must be declined (read whole), and read
 * as YAML reads it.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DecomError } from "../../src/diagnostics.js";
import { parseChunkedSource } from "../../src/manifest/chunked-source.js";
import { parseManifest } from "../../src/manifest/load.js";
import { parseWholeSource } from "../../src/manifest/source.js";

const test = suite("manifest: sliced or whole");

const DECLINED: [string, string][] = [
  ["a comment line indented with a no-break space", "version: 1\nresources:\n  - id: a\n      \u00a0# keep a\n  - id: b\n"],
  ["a line of only a no-break space", "version: 1\nresources:\n  - id: a\n\u00a0\n  - id: b\n"],
  ["a line separator", "version: 1\nresources:\n  - id: a\u2028\n  - id: b\n"],
  ["a byte order mark past the start", "version: 1\nresources:\n  - id: a\n\ufeff# x\n"],
  ["a carriage return that ends no line", "version: 1\nresources:\n  - id: a\r  - id: b\n"],
  ["a last line ending in a bare carriage return", "version: 1\nresources:\n  - id: q\n  - id: r\r"],
  ["a flow mapping at the top", "{ version: 1,\nresources:\n  - id: a\n}\n"],
  ["a key line inside a quoted scalar", 'version: 1\nprotect: { resources: ["\nresources:\n  - id: b\n"] }\nresources:\n'],
  ["an alias after a quoted #", 'version: 1\nresources:\n  - { id: "a #", cascade: &c [alarms] }\n  - { id: "b #", cascade: *c }\n'],
  ["a quoted top-level key", 'version: 1\n"resources":\n  - id: a\n'],
];

for (const [what, text] of DECLINED) {
  test(`declined, and read as YAML reads it: ${what}`, () => {
    assert.is(parseChunkedSource(text), undefined);
    const whole = parseWholeSource(text);
    let read: unknown;
    try {
      read = parseManifest(text, "decom.yaml", "digest");
    } catch (err) {
      assert.instance(err, DecomError, String(err));
      assert.ok(whole.syntaxErrors.length > 0 || whole.data !== undefined, "YAML refused it or read it; so did decom");
      return;
    }
    const ids = (whole.data as { resources?: { id: unknown }[] } | null)?.resources?.map((r) => r.id);
    assert.equal(
      (read as { resources: { id: string }[] }).resources.map((r) => r.id),
      ids,
    );
  });
}

test("the sliced reading still takes a plain id list, CRLF and comments included", () => {
  for (const text of [
    "version: 1\nresources:\n  - id: a\n  # note\n\n  - id: b\n",
    "version: 1\r\nresources:\r\n  - id: a\r\n  - id: b\r\nguard:\r\n  maxDeletes: 2\r\n",
  ]) {
    const sliced = parseChunkedSource(text);
    assert.ok(sliced, JSON.stringify(text));
    assert.equal(sliced?.data, parseWholeSource(text).data);
  }
});

test("an alias to no anchor is a YAML error with its line and column, not a crash", () => {
  try {
    parseManifest("version: 1\nprotect:\n  resources: [*a]\nresources:\n  - id: a\n", "decom.yaml", "digest");
    assert.unreachable("accepted");
  } catch (err) {
    assert.instance(err, DecomError);
    const [problem] = (err as DecomError).diagnostics;
    assert.equal([problem?.source?.line, problem?.source?.column], [3, 15]);
    assert.match(problem?.summary ?? "", "invalid YAML: Unresolved alias");
  }
});

test.run();
