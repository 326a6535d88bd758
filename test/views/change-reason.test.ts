/** The words of every reason code: the planner records codes, and this is where they become sentences. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { ChangeReason } from "../../src/plan/model.js";
import { isPlainDeletion, reasonText } from "../../src/views/change-reason.js";

const test = suite("views: change reasons");

const cases: [ChangeReason, string][] = [
  [{ code: "in-manifest" }, "in the manifest"],
  [{ code: "recreated", time: "2026-01-01T00:00:00.000Z" }, "recreated since last apply (deleted 2026-01-01T00:00:00.000Z)"],
  [{ code: "created-since-absent", time: "2026-01-02T00:00:00.000Z" }, "created since last apply (absent at 2026-01-02T00:00:00.000Z)"],
  [{ code: "retry-failed", error: "busy", statusCode: 400 }, "retrying: last attempt failed (400: busy)"],
  [{ code: "retry-failed", error: "socket hang up" }, "retrying: last attempt failed (socket hang up)"],
  [{ code: "retry-failed" }, "retrying: last attempt failed (no error text)"],
  [{ code: "not-found" }, "not found on the tenant"],
  [{ code: "gone-since-failure" }, "gone since the failed attempt"],
  [{ code: "entry-removed" }, "no longer in the manifest"],
  [{ code: "selector-removed" }, "its selector is no longer in the manifest"],
];

for (const [reason, words] of cases) {
  test(`${JSON.stringify(reason)} reads "${words}"`, () => {
    assert.is(reasonText(reason), words);
  });
}

test("only a deletion the manifest asks for goes without its reason beside it", () => {
  assert.equal(
    cases.filter(([reason]) => isPlainDeletion(reason)).map(([reason]) => reason.code),
    ["in-manifest"],
  );
});

test.run();
