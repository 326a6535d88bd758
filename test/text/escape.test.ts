/** Tenant strings shown to a reviewer: escaped JSON-style, so none can move the cursor, hide or reorder text. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { escaped, hasHiddenCharacters, hiddenCharacterEscapes, quoted } from "../../src/text/escape.js";

const test = suite("text: escaping tenant strings");

const ESC = "\u001b";
/** Code points that must never reach the output raw, named by hand rather than by the module's own rule. */
const MUST_ESCAPE = [
  ...Array.from({ length: 0x20 }, (_, i) => i), // C0
  0x7f, // DEL
  ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i), // C1
  0xad, // soft hyphen
  0x061c, // Arabic letter mark
  0x200b,
  0x200c,
  0x200d,
  0x200e,
  0x200f, // zero-width space, non-joiner, joiner; LRM, RLM
  0x2028,
  0x2029, // line and paragraph separators
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e, // bidi embeddings and overrides
  0x2060,
  0x2061,
  0x2062,
  0x2063,
  0x2064, // word joiner, invisible operators
  0x2066,
  0x2067,
  0x2068,
  0x2069, // bidi isolates
  0xfeff, // BOM / zero-width no-break space
  0x00a0,
  0x1680,
  0x2000,
  0x2007,
  0x200a,
  0x202f,
  0x205f,
  0x3000, // spaces other than U+0020
  0x3164,
  0xffa0,
  0x115f, // Hangul fillers
  0xfe0f, // variation selector
  0xe0001,
  0xe0041, // language tag, tag letter
];

test("an ordinary id is shown exactly as decom always showed it", () => {
  for (const id of ["gw-1", "dev-0001", "select?customer=acme&tag=retired", "thermostat 0042", "café", "😀-emoji", "a'b"]) {
    assert.is(quoted(id), `"${id}"`);
    assert.is(escaped(id), id);
    assert.not.ok(hasHiddenCharacters(id), id);
  }
});

test("quotes and backslashes are escaped as JSON escapes them", () => {
  assert.is(quoted('a"b\\c'), String.raw`"a\"b\\c"`);
  assert.is(escaped('a"b\\c'), 'a"b\\c', "prose keeps its quotes and backslashes");
  assert.not.ok(hasHiddenCharacters('a"b\\c'));
});

test("the ids of the issue: a line that forges a plan entry, and cursor movement", () => {
  assert.is(quoted('prod-db\r  - resource "tmp-1"'), String.raw`"prod-db\r  - resource \"tmp-1\""`);
  assert.is(quoted(`x${ESC}[1A${ESC}[2Khidden`), String.raw`"x\u001b[1A\u001b[2Khidden"`);
  assert.is(quoted("bidi\u202egnp.exe"), String.raw`"bidi\u202egnp.exe"`);
  assert.is(quoted("zero\u200bwidth"), String.raw`"zero\u200bwidth"`);
});

test("every character that can hide or reorder text is escaped, in quoted and in escaped text", () => {
  for (const cp of MUST_ESCAPE) {
    const char = String.fromCodePoint(cp);
    const name = `U+${cp.toString(16).padStart(4, "0")}`;
    assert.ok(hasHiddenCharacters(`a${char}b`), name);
    for (const out of [quoted(`a${char}b`), escaped(`a${char}b`)]) {
      assert.not.ok(out.includes(char), `${name} left raw in ${out}`);
      assert.ok(/^[\x20-\x7e]*$/.test(out), `${name} gives only printable ASCII: ${out}`);
    }
  }
});

test("C0 controls use JSON's own forms: \\n, \\r, \\t, \\b, \\f, else \\u00XX", () => {
  for (let cp = 0; cp < 0x20; cp++) {
    const char = String.fromCharCode(cp);
    assert.is(quoted(char), JSON.stringify(char));
  }
});

test("lone surrogates are escaped; a well-formed pair is a character like any other", () => {
  assert.is(quoted("a\ud800b"), String.raw`"a\ud800b"`);
  assert.is(quoted("a\udc00"), String.raw`"a\udc00"`);
  assert.is(quoted("\ud83d\ude00"), '"\ud83d\ude00"');
  assert.ok(hasHiddenCharacters("\udfff"));
});

test("quoted reads back, as JSON, to exactly the id; escaped is idempotent", () => {
  for (let cp = 0; cp <= 0xffff; cp++) {
    const text = `<${String.fromCharCode(cp)}>`;
    assert.is(JSON.parse(quoted(text)), text);
    assert.is(
      escaped(escaped(text)),
      escaped(text),
      "escaping twice changes nothing, so a message escaped where it is made can be escaped again where it is shown",
    );
  }
  for (const cp of [0x1f600, 0xe0001, 0xe007f, 0x10ffff]) {
    const text = String.fromCodePoint(cp);
    assert.is(JSON.parse(quoted(text)), text);
  }
});

test("the escapes a warning names: each hidden character once, by code point", () => {
  assert.equal(hiddenCharacterEscapes(`x${ESC}[1A${ESC}[2K\r\u202e\u00a0 "\\`), ["\\r", "\\u001b", "\\u00a0", "\\u202e"]);
  assert.equal(hiddenCharacterEscapes("\u{e0001}"), ["\\udb40\\udc01"]);
  assert.equal(hiddenCharacterEscapes("gw-1"), []);
});

test.run();
