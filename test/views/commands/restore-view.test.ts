import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RestoreListing, RestoreOutcome } from "../../../src/operations/restore.js";
import type { Output } from "../../../src/views/output.js";
import { restoreView } from "../../../src/views/commands/restore-view.js";
import { assertValid } from "../../helpers/schemas.js";

const test = suite("views: restore");

function collected(): { out: Output; stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  return { out: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, stdout: () => stdout, stderr: () => stderr };
}

const ids = Array.from({ length: 30 }, (_, i) => `r-${i}`);
const listing: RestoreListing = { archive: "decom.archive.jsonl", toCreate: ids.map((id) => ({ kind: "resource", id })), existing: [] };
const outcomes: RestoreOutcome[] = ids.map((id, i) =>
  i < 5
    ? { kind: "resource", id, outcome: "created" }
    : { kind: "resource", id, outcome: "skipped", message: "restore was interrupted before it" },
);

test("interrupted: the summary says so, and the ids not attempted are listed up to 20, then counted", () => {
  const { out, stdout, stderr } = collected();
  const view = restoreView(out, { json: false });
  for (const o of outcomes) view.outcome(o);
  view.summary(outcomes, listing, true);
  assert.is(stdout(), "Restore interrupted: 5 created, 0 left as they were, 0 failed, 25 not attempted.\n");
  const lines = stderr().trimEnd().split("\n");
  assert.is(lines.length, 21);
  assert.is(lines.at(-1), "… more not attempted (counted in the summary)");
});

test("interrupted, --json: restore_summary's status is interrupted", () => {
  const { out, stdout } = collected();
  restoreView(out, { json: true }).summary(outcomes, listing, true);
  const summary = JSON.parse(stdout());
  assertValid("events", summary);
  assert.is(summary.status, "interrupted");
});

test.run();
