/** Saved plans are refused unless they are plans this decom made and can execute exactly. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Plan } from "../../src/plan/model.js";
import { createHash } from "node:crypto";
import { canonicalJson } from "../../src/files/canonical-json.js";
import { integrityProblems, parsePlan, planDigest, planFilePieces, serializePlan, textShowsDigest } from "../../src/plan/planfile.js";
import { stalenessReasons } from "../../src/plan/stale.js";
import { handMadePlan, planDeleting } from "../helpers/plan.js";

const test = suite("plan: plan file");

function plan(): Plan {
  return handMadePlan({
    changes: [
      { kind: "resource", id: "d1", action: "delete", reason: { code: "in-manifest" }, entry: "id", cascade: ["tasks"] },
      { kind: "resource", id: "d2", action: "absent", reason: { code: "not-found" }, entry: "id" },
      { kind: "resourceType", id: "t", action: "delete", reason: { code: "in-manifest" }, entry: "id" },
    ],
    waves: [
      {
        kind: "resource",
        batches: [{ body: { entity: "resource", action: "delete", query: { ids: ["d1"] }, actionParameters: { cascade: ["tasks"] } } }],
      },
      { kind: "resourceType", batches: [{ body: { entity: "resourcetype", action: "delete", query: { ids: ["t"] } } }] },
    ],
  });
}

/** As `plan` would write it: with the digest of its content. */
const saved = (p: Plan): Plan => ({ ...p, digest: planDigest(p) });

const refused = (p: unknown, message: string) =>
  assert.throws(
    () => parsePlan(JSON.stringify(p), "plan.json"),
    (err: Error) => err.message.includes("plan.json") && err.message.includes(message),
  );

test("a plan round-trips through its file, with the digest of its content", () => {
  const text = serializePlan(plan());
  assert.match(text, /"digest": "sha256:[0-9a-f]{64}"/);
  assert.equal(parsePlan(text, "plan.json"), saved(plan()));
  assert.is(serializePlan(parsePlan(text, "plan.json")), text);
});

test("the digest is what plans made before say it is; the file is written in one pass with that same digest", () => {
  // Pinned: plans saved by earlier versions of decom must still verify. 600 ids (long arrays, batches of 250), some not ASCII.
  const ids = Array.from({ length: 600 }, (_, i) => (i % 7 === 0 ? `dé-\u00fc/⚙ "${i}"` : `device-${i}`));
  const pinned: Plan = { ...planDeleting(ids, 250, ["tasks"]), decomVersion: "0.0.0-pinned" };
  assert.is(planDigest(pinned), "sha256:46ba2d75d8e4796b7525ced51e5a659d74ee570e61fa5fc1b8716554485820d0");
  const text = [...planFilePieces(pinned)].join("");
  assert.is(createHash("sha256").update(text).digest("hex"), "2bbedb34b692c4cdc095ccba129778b59428ec318484b67a692fcf8cd28f9aa7");
  assert.is(text, serializePlan(pinned));
  assert.is(parsePlan(text, "plan.json").digest, planDigest(pinned));
});

test("the text as plan wrote it shows its digest; an edited or reformatted one does not, and is checked the long way", () => {
  const text = serializePlan(plan());
  const { digest } = saved(plan());
  assert.ok(textShowsDigest(text, digest));
  assert.not.ok(textShowsDigest(text, `sha256:${"0".repeat(64)}`), "another digest");
  assert.not.ok(textShowsDigest(text.replace('"d2"', '"d3"'), digest), "an edited id");
  const reformatted = JSON.stringify(JSON.parse(text), null, 4);
  assert.not.ok(textShowsDigest(reformatted, digest), "reformatted");
  assert.equal(parsePlan(reformatted, "plan.json"), saved(plan()), "a reformatted plan is still the plan it was");
  // The digest line moved inside a change: the rest hashes to the digest all the same, but it is no longer the plan's digest.
  const content = canonicalJson(plan()).split("\n");
  const inside = content.findIndex((line) => line.startsWith('      "action"'));
  content.splice(inside, 0, `  "digest": "${digest}",`);
  const moved = content.join("\n");
  assert.not.ok(textShowsDigest(moved, digest), "a digest line that is not the plan's own");
  assert.throws(() => parsePlan(moved, "plan.json"), /not a valid plan/);
  const edited = JSON.parse(text) as Plan;
  edited.changes[0]!.cascade = [];
  assert.equal(
    integrityProblems(edited, "plan.json", false).map((p) => p.code),
    ["plan.changed", "plan.inconsistent"],
  );
});

test("any edit after the plan was written is named: the content no longer matches the digest", () => {
  const edited = JSON.parse(serializePlan(plan())) as Plan;
  edited.changes[1]!.reason = { code: "gone-since-failure" };
  refused(edited, "plan.json was changed after it was made");
  const noDigest = JSON.parse(serializePlan(plan())) as Record<string, unknown>;
  delete noDigest.digest;
  refused(noDigest, "not a valid plan");
});

test("what an id is rides in the plan for the reviewer: an edit of it is caught by the digest", () => {
  const described = plan();
  Object.assign(described.changes[0]!, { name: "Kitchen thermostat", parentId: "gw-7", resourceTypeId: "legacy-thermostat" });
  Object.assign(described.changes[2]!, { name: "Thermostat" });
  const text = serializePlan(described);
  assert.equal(parsePlan(text, "plan.json").changes[0], { ...described.changes[0] });
  const edited = JSON.parse(text) as Plan;
  edited.changes[0]!.name = "Spare thermostat";
  refused(edited, "plan.json was changed after it was made");
});

test("only a deletion says what its id is, and only with what its kind has (an edit with its digest made again)", () => {
  const absent = plan();
  absent.changes[1]!.name = "Ghost";
  refused(saved(absent), 'resource "d2" is planned as absent and carries a name');
  const typed = plan();
  typed.changes[2]!.parentId = "gw-7";
  refused(saved(typed), 'resourceType "t" carries a parentId, which a resourceType does not have');
});

test("a batch that deletes an id no change plans is refused (an edit slipped into review)", () => {
  const edited = plan();
  edited.waves[0]!.batches[0]!.body.query.ids.push("hq-gateway");
  refused(saved(edited), 'batch deletes resource "hq-gateway", which no change plans to delete');
});

test("a batch larger than the plan's batch size is refused, its numbers as every view writes them", () => {
  const edited = plan();
  const ids = Array.from({ length: 1200 }, (_, i) => `x${i}`);
  edited.batchSize = 1000;
  edited.changes.push(
    ...ids.map((id) => ({
      kind: "resource" as const,
      id,
      action: "delete" as const,
      reason: { code: "in-manifest" as const },
      entry: "id",
      cascade: ["tasks" as const],
    })),
  );
  edited.waves[0]!.batches[0]!.body.query.ids.push(...ids);
  refused(saved(edited), "a batch holds 1,201 ids, more than the plan's batch size of 1,000");
});

test("a planned deletion in no batch is refused", () => {
  const edited = plan();
  edited.waves.pop();
  refused(saved(edited), 'resourceType "t" is planned for deletion but in no batch');
});

test("a reason that belongs to another action is refused, even under a recomputed digest", () => {
  const edited = plan();
  edited.changes[0]!.reason = { code: "entry-removed" };
  refused(saved(edited), 'plan.json: resource "d1" is planned to be deleted with a reason for forget (entry-removed)');
});

test("a cascade changed in the body but not the change is refused", () => {
  const edited = plan();
  const body = edited.waves[0]!.batches[0]!.body;
  if (body.entity === "resource") body.actionParameters = { cascade: ["alarms", "measurements", "tasks"] };
  refused(saved(edited), 'resource "d1" has another cascade in its batch (alarms, measurements, tasks) than in its change (tasks)');
});

test("a plan from another format version, or not a plan, is refused", () => {
  refused({ ...saved(plan()), formatVersion: 1 }, "plan format version 1 is not supported by this decom (it reads version 4)");
  // Version 2 wrote reasons as sentences: a plan is applied by the decom that made it, as in Terraform.
  refused(
    { ...saved(plan()), formatVersion: 2 },
    "plan format version 2 is not supported by this decom (it reads version 4); make the plan again with this decom",
  );
  // Version 3 did not say what each id is: shown now, its deletions would read as resources without a name.
  refused(
    { ...saved(plan()), formatVersion: 3 },
    "plan format version 3 is not supported by this decom (it reads version 4); make the plan again with this decom",
  );
  // A newer decom's plan: upgrading this decom is the other way out.
  refused(
    { ...saved(plan()), formatVersion: 5 },
    "plan format version 5 is not supported by this decom (it reads version 4); " +
      "it was made by a newer decom: upgrade decom, or make the plan again with this decom",
  );
  refused({ hello: 1 }, 'not a decom plan: no "formatVersion"');
  assert.throws(() => parsePlan("{", "plan.json"), /invalid JSON/);
  refused({ ...saved(plan()), extra: true }, "not a valid plan");
});

test("staleness names every difference", () => {
  const p = plan();
  assert.equal(stalenessReasons(p, { endpoint: p.endpoint, manifestSha256: p.manifest.sha256, state: p.state }), []);
  const reasons = stalenessReasons(p, {
    endpoint: "https://other.example",
    manifestSha256: "b".repeat(64),
    state: { lineage: "L", serial: 1 },
  });
  assert.equal(reasons.length, 3);
  assert.match(reasons[0]!, "made for endpoint https://api.waylay.io, and this run targets https://other.example");
  assert.match(reasons[1]!, "the manifest changed since");
  assert.match(reasons[2]!, "made when no state file existed, and one has been written since (lineage L, serial 1)");
  const later = { ...p, state: { lineage: "L", serial: 1 } };
  assert.equal(stalenessReasons(later, { endpoint: p.endpoint, manifestSha256: p.manifest.sha256, state: { lineage: "L", serial: 2 } }), [
    "the state was written since (serial 1 in the plan, 2 now)",
  ]);
  assert.match(
    stalenessReasons(later, { endpoint: p.endpoint, manifestSha256: p.manifest.sha256, state: { lineage: "M", serial: 1 } })[0]!,
    "another lineage",
  );
});

test.run();
