import { suite } from "uvu";
import * as assert from "uvu/assert";
import { canonicalJson, canonicalJsonPieces } from "../../src/files/canonical-json.js";

const test = suite("files: canonical JSON");

test("keys sorted at every depth, 2-space indent, one trailing newline; __proto__ is just a key", () => {
  const value = JSON.parse('{"b": 1, "a": {"d": [3, {"z": 1, "y": 2}], "c": null}, "__proto__": "x"}');
  assert.is(
    canonicalJson(value),
    '{\n  "__proto__": "x",\n  "a": {\n    "c": null,\n    "d": [\n      3,\n' +
      '      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
  );
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

test.run();
