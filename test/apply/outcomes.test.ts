import { suite } from "uvu";
import * as assert from "uvu/assert";
import { outcomesFromResults } from "../../src/apply/outcomes.js";
import type { BatchIdResult } from "../../src/waylay/wire.js";

const test = suite("apply: outcomes of a finished batch (spec §4)");

test("success → deleted; 404 → absent; other failures → failed with the server's text; unreported → failed", () => {
  const results = new Map<string, BatchIdResult>([
    ["a", { ok: true, statusCode: 204 }],
    ["b", { ok: false, statusCode: 404, error: "No resource with id b" }],
    ["c", { ok: false, statusCode: 400, error: "Resource is still parent of or referenced by 2 resource(s)" }],
    ["e", { ok: false, statusCode: Number.NaN, error: "weird" }],
  ]);
  assert.equal(outcomesFromResults(["a", "b", "c", "d", "e"], results), [
    { id: "a", status: "deleted" },
    { id: "b", status: "absent" },
    { id: "c", status: "failed", statusCode: 400, error: "Resource is still parent of or referenced by 2 resource(s)" },
    { id: "d", status: "failed", error: "the finished batch reported no result for this id" },
    { id: "e", status: "failed", error: "weird" },
  ]);
});

test.run();
