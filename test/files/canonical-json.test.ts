import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { mulberry32 } from "../../src/emulator/faults.js";
import { canonicalJson, canonicalJsonLine, canonicalJsonPieces, canonicalJsonPiecesSealed } from "../../src/files/canonical-json.js";

const test = suite("files: canonical JSON");

test("keys sorted at every depth, 2-space indent, one trailing newline; __proto__ is just a key", () => {
  const value = JSON.parse('{"b": 1, "a": {"d": [3, {"z": 1, "y": 2}], "c": null}, "__proto__": "x"}');
  assert.is(
    canonicalJson(value),
    '{\n  "__proto__": "x",\n  "a": {\n    "c": null,\n    "d": [\n      3,\n' +
      '      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
  );
});

test("one line: the same content as the indented form, for any JSON value, however odd its keys and members", () => {
  const random = mulberry32(14);
  const keys = [
    "__proto__",
    "constructor",
    "toJSON",
    "",
    "a",
    "B",
    "b",
    "é",
    "\u{1F600}",
    "0",
    "9",
    "10",
    "01",
    "-1",
    "4294967294",
    "4294967295",
  ];
  // Keys holding the separator shapes are remembered by: two different key lists that join the same.
  keys.push("x\u0000y", "x", "y\u0000z", "y", "z");
  const leaves = [0, -0, 1.5, -7, Number.NaN, Number.POSITIVE_INFINITY, "", "text", 'quote " and \\', "\u{1F600}\ud800", true, false, null];
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const value = (depth: number): unknown => {
    const roll = random();
    if (depth > 3 || roll < 0.4) return pick(leaves);
    if (roll < 0.55) return [pick([undefined, 1]), ...Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1))];
    const object: Record<string, unknown> = roll < 0.6 ? Object.create(null) : {};
    for (let i = Math.floor(random() * 6); i > 0; i--) {
      const member = random() < 0.1 ? undefined : value(depth + 1);
      // defineProperty: "__proto__" is data, as JSON.parse makes it.
      Object.defineProperty(object, pick(keys), { value: member, enumerable: true, writable: true, configurable: true });
    }
    return object;
  };
  for (let i = 0; i < 3000; i++) {
    const v = value(0);
    // The indented form, read back and written on one line, is what the line must be.
    assert.is(canonicalJsonLine(v), JSON.stringify(JSON.parse(canonicalJson(v))), JSON.stringify(v));
  }
  // What plain JSON data cannot hold is written as before: a toJSON, a Date.
  assert.is(canonicalJsonLine({ b: new Date(0), a: { toJSON: () => "x" } }), '{"a":"x","b":"1970-01-01T00:00:00.000Z"}');
});

test("written in pieces, the bytes are exactly the same", () => {
  const big = {
    z: "last",
    changes: Array.from({ length: 3000 }, (_, i) => ({
      kind: "resource",
      id: `d-${i}`,
      action: "delete",
      cascade: i % 2 ? [] : ["tasks"],
      nested: { deep: Array.from({ length: 300 }, (_, j) => j) },
    })),
    empty: [],
    obj: {},
    waves: [{ batches: [{ body: { query: { ids: Array.from({ length: 600 }, (_, i) => `id-${i}`) } } }] }],
    missing: undefined,
  };
  const pieces = [...canonicalJsonPieces(big, 10_000)];
  assert.ok(pieces.length > 10, "it really came in pieces");
  assert.is(pieces.join(""), canonicalJson(big));
});

test("objects whose keys are out of order, at any depth, come out sorted; the value itself is left as it was", () => {
  const value = { z: [{ b: 1, a: { d: 1, c: [{ f: 1, e: 2 }] } }], a: undefined, m: { y: null, x: undefined } };
  const before = JSON.stringify(value);
  const expected =
    '{\n  "m": {\n    "y": null\n  },\n  "z": [\n    {\n      "a": {\n        "c": [\n          {\n' +
    '            "e": 2,\n            "f": 1\n          }\n        ],\n        "d": 1\n      },\n      "b": 1\n    }\n  ]\n}\n';
  assert.is(canonicalJson(value), expected);
  assert.is([...canonicalJsonPieces(value, 8)].join(""), expected);
  assert.is(JSON.stringify(value), before);
});

test("long arrays of objects that hold long arrays themselves come out the same in pieces", () => {
  const value = {
    waves: Array.from({ length: 300 }, (_, w) => ({ batches: [{ ids: Array.from({ length: 260 }, (_, i) => `é-${w}-${i}`) }], kind: "r" })),
  };
  assert.is([...canonicalJsonPieces(value, 4096)].join(""), canonicalJson(value));
});

test("objects of many members (a state's ids) come out the same in pieces, integer-like and __proto__ keys included", () => {
  const members = Array.from({ length: 1000 }, (_, i) => `"${i % 3 ? `dev-${999 - i}` : String(i)}": {"status": "deleted", "at": "t${i}"}`);
  const resources = JSON.parse(`{${members.join(",")}, "__proto__": {"x": 1}}`) as Record<string, unknown>;
  const value = { version: 2, resources, nested: { deeper: { ids: resources } } };
  const pieces = [...canonicalJsonPieces(value, 2048)];
  const text = canonicalJson(value);
  assert.ok(Math.max(...pieces.map((p) => p.length)) < text.length / 4, "no piece holds a whole list of ids");
  assert.is(pieces.join(""), text);
});

/** A seal that hashes what it is given, as a plan's digest does. */
function hashSeal() {
  const hash = createHash("sha256");
  let seen = "";
  return {
    update: (piece: string) => {
      seen += piece;
      hash.update(piece);
    },
    value: () => `sha256:${hash.digest("hex")}`,
    seen: () => seen,
  };
}

test("sealed: the seal is given exactly the canonical JSON of the rest, and the file is that of the whole, wherever the seal sorts", () => {
  const content = {
    m: 'é ⚙ "quoted"',
    changes: Array.from({ length: 700 }, (_, i) => ({ id: `d-${i}`, action: "delete", cascade: i % 3 ? [] : ["tasks"] })),
    b: { nested: true },
    waves: [{ batches: [{ body: { query: { ids: Array.from({ length: 600 }, (_, i) => `d-${i}`) } } }] }],
  };
  for (const field of ["a", "digest", "n", "zz"]) {
    for (const pieceSize of [1, 1000, 1 << 20]) {
      const seal = hashSeal();
      const pieces = [...canonicalJsonPiecesSealed(content, field, seal, pieceSize)];
      assert.is(seal.seen(), canonicalJson(content), `the seal saw the content, ${field}, ${pieceSize}`);
      const digest = `sha256:${createHash("sha256").update(canonicalJson(content)).digest("hex")}`;
      assert.is(pieces.join(""), canonicalJson({ ...content, [field]: digest }), `the file, ${field}, ${pieceSize}`);
    }
  }
});

test("sealed: a member of the seal's own name in the value is replaced, not kept", () => {
  const seal = hashSeal();
  const text = [...canonicalJsonPiecesSealed({ a: 1, digest: "old", z: 2 }, "digest", seal)].join("");
  assert.is(seal.seen(), canonicalJson({ a: 1, z: 2 }));
  assert.not.match(text, /old/);
});

test.run();
