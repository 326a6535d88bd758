/**
 * The first complete path: manifest → plan → saved plan → apply → state, over
 * loopback HTTP against the emulator, with decom's real client, planner and executor.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { assertFileValid, assertValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";

interface Context {
  emulator: Emulator;
  dir: string;
  remove: () => void;
}

const test = suite<Context>("e2e: plan → apply → state");

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({
    seed: world([...devices("dev", 12, "legacy"), ...devices("keep", 3, "current")], ["legacy", "current"]),
    timing: { startDelayMs: 5, perIdMs: 0.1 },
  });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace());
});

test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");
const json = (dir: string, name: string) => JSON.parse(read(dir, name));

test("plan → saved plan → apply → state, then a second plan has no changes", async ({ emulator, dir }) => {
  const ids = devices("dev", 12).map((d) => d.id);
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(ids));
  const endpoint = emulator.url;

  const plan = await decom(["plan", "--out", "plan.json", "--detailed-exitcode"], { cwd: dir, endpoint });
  assert.is(plan.code, 2, plan.stderr);
  assert.match(plan.stdout, "Plan: 12 to delete, 0 already absent, 0 to forget.");
  assert.match(plan.stdout, '- resource "dev-0001"');
  assertFileValid("plan", join(dir, "plan.json"));
  assert.is(emulator.count("POST"), 0, "plan sends no batch");

  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint });
  assert.is(apply.code, 0, apply.stderr + apply.stdout);
  assert.match(apply.stdout, "Apply complete: 12 deleted, 0 absent, 0 failed.");
  for (const id of ids) assert.not.ok(emulator.tenant.resources.has(id), `${id} was deleted`);
  assert.ok(emulator.tenant.resources.has("keep-0001"), "resources outside the manifest stay");

  assertFileValid("state", join(dir, "decom.state.json"));
  const state = json(dir, "decom.state.json");
  assert.is(state.version, 2);
  assert.is(state.endpoint, endpoint);
  assert.equal(Object.keys(state.resources).sort(), ids);
  for (const id of ids) {
    assert.is(state.resources[id].status, "deleted");
    assert.type(state.resources[id].batchId, "string");
  }

  const again = await decom(["plan", "--detailed-exitcode"], { cwd: dir, endpoint });
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, "No changes.");
});

test("a manifest id that does not exist is absent, recorded, and sent in no batch", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001", "ghost-0001"]));
  const endpoint = emulator.url;
  await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint });
  const plan = json(dir, "plan.json");
  const ghost = plan.changes.find((c: { id: string }) => c.id === "ghost-0001");
  assert.equal([ghost.action, ghost.reason], ["absent", { code: "not-found" }]);

  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint });
  assert.is(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, "Apply complete: 1 deleted, 1 absent, 0 failed.");
  const sent = [...emulator.batches.batches.values()].flatMap((b) => b.body.query.ids);
  assert.equal(sent, ["dev-0001"], "only the existing id was sent");
  assert.is(json(dir, "decom.state.json").resources["ghost-0001"].status, "absent");
});

test("an id removed from the manifest is forgotten, with no API call", async ({ emulator, dir }) => {
  const endpoint = emulator.url;
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001", "dev-0002"]));
  assert.is((await decom(["apply", "--auto-approve"], { cwd: dir, endpoint })).code, 0);
  const batchesBefore = emulator.count("POST");

  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001"]));
  const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint });
  assert.match(plan.stdout, '~ resource "dev-0002"');
  assert.match(plan.stdout, "Plan: 0 to delete, 0 already absent, 1 to forget.");
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint });
  assert.is(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, "Forgot 1 id no longer in the manifest.");
  assert.is(emulator.count("POST"), batchesBefore, "forget sends nothing");
  const state = json(dir, "decom.state.json");
  assert.equal(Object.keys(state.resources), ["dev-0001"]);
  assert.is(state.serial, 2);
  assertFileValid("state", join(dir, "decom.state.json"));
});

test("resources and their type in one manifest succeed in one apply with no failures", async ({ emulator, dir }) => {
  const endpoint = emulator.url;
  writeFileSync(
    join(dir, "decom.yaml"),
    manifestYaml(
      devices("dev", 12).map((d) => d.id),
      ["legacy"],
    ),
  );
  const apply = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.match(apply.stdout, "Apply complete: 13 deleted, 0 absent, 0 failed.");
  assert.not.ok(emulator.tenant.resourceTypes.has("legacy"));
  assert.ok(emulator.tenant.resourceTypes.has("current"));
  const entities = [...emulator.batches.batches.values()].map((b) => b.body.entity);
  assert.equal(entities, ["resource", "resourcetype"], "resources first, then the type");
});

test("plan --out twice on the same inputs gives byte-identical files", async ({ emulator, dir }) => {
  const endpoint = emulator.url;
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0003", "dev-0001", "ghost", "dev-0002"], ["legacy"]));
  await decom(["plan", "--out", "one.json"], { cwd: dir, endpoint });
  await decom(["plan", "--out", "two.json"], { cwd: dir, endpoint });
  const one = read(dir, "one.json");
  assert.is(one, read(dir, "two.json"));
  assert.ok(one.endsWith("}\n") && !one.endsWith("\n\n"), "one trailing newline");
  assert.not.match(one, "\r");
  assert.match(one, /\n {2}"batchSize": 500,\n/, "2-space indent, sorted keys");
});

test("every batch body sent validates against schemas/waylay-batch.schema.json", async ({ emulator, dir }) => {
  const endpoint = emulator.url;
  const manifest = [
    "version: 1",
    "defaults:",
    "  cascade: [measurements]",
    "resources:",
    ...devices("dev", 12).map((d, i) => `  - id: ${d.id}${i % 3 === 0 ? "\n    cascade: [tasks, alarms]" : ""}`),
    "resourceTypes:",
    "  - id: legacy",
  ].join("\n");
  writeFileSync(join(dir, "decom.yaml"), manifest + "\n");
  const apply = await decom(["apply", "--auto-approve", "--batch-size", "3"], { cwd: dir, endpoint });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const bodies = [...emulator.batches.batches.values()].map((b) => b.body);
  assert.is(bodies.length, 2 + 3 + 1, "4 ids with [alarms, tasks] in 2 batches of ≤3, 8 with [measurements] in 3, 1 type batch");
  for (const body of bodies) assertValid("waylay-batch", body, `batch body ${JSON.stringify(body)}`);
  const cascades = bodies.filter((b) => b.entity === "resource").map((b) => JSON.stringify(b.actionParameters?.cascade));
  assert.equal([...new Set(cascades)].sort(), ['["alarms","tasks"]', '["measurements"]']);
  assert.ok(bodies.every((b) => b.query.ids.length <= 3));
});

test("a stale plan is refused and nothing is sent", async ({ emulator, dir }) => {
  const endpoint = emulator.url;
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001"]));
  await decom(["plan", "--out", "old.json"], { cwd: dir, endpoint });
  await decom(["apply", "--auto-approve"], { cwd: dir, endpoint }); // writes the state
  const posts = emulator.count("POST");
  const stale = await decom(["apply", "old.json"], { cwd: dir, endpoint });
  assert.is(stale.code, 1);
  assert.match(stale.stderr, "old.json is stale and was not applied");
  assert.match(stale.stderr, "no state file existed");
  assert.is(emulator.count("POST"), posts);

  await decom(["plan", "--out", "new.json"], { cwd: dir, endpoint });
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001", "dev-0002"]));
  const changed = await decom(["apply", "new.json"], { cwd: dir, endpoint });
  assert.is(changed.code, 1);
  assert.match(changed.stderr, "the manifest changed since");
  assert.is(emulator.count("POST"), posts);
});

test("a deletion the server refuses is recorded as failed with its error, and planned again", async ({ emulator, dir }) => {
  const endpoint = emulator.url;
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001", "dev-0002"]));
  await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint });
  // Someone provisions a child under dev-0001 after the plan was reviewed.
  emulator.tenant.addResource({ id: "child-1", resourceTypeId: "current", parentId: "dev-0001" });
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint });
  assert.is(apply.code, 1, "a failure exits 1");
  assert.match(apply.stdout, "Apply finished with failures: 1 deleted, 0 absent, 1 failed.");
  assert.match(apply.stderr, 'resource "dev-0001": Resource is still parent of or referenced by 1 resource(s)');
  const record = json(dir, "decom.state.json").resources["dev-0001"];
  assert.equal([record.status, record.statusCode], ["failed", 400]);
  assertFileValid("state", join(dir, "decom.state.json"));

  const again = await decom(["plan"], { cwd: dir, endpoint });
  assert.match(again.stdout, "retrying: last attempt failed (400: Resource is still parent of or referenced by 1 resource(s))");
  assert.match(again.stderr, 'resource "dev-0001" still has 1 child the plan does not delete: "child-1"');
  assert.is(again.code, 1, "and now the plan sees why, and is blocked");
});

test("an id deleted by someone else between plan and apply ends absent, not failed", async ({ emulator, dir }) => {
  const endpoint = emulator.url;
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001", "dev-0002"]));
  await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint });
  emulator.tenant.deleteResource("dev-0002");
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.match(apply.stdout, "Apply complete: 1 deleted, 1 absent, 0 failed.");
  const state = json(dir, "decom.state.json");
  assert.is(state.resources["dev-0002"].status, "absent");
  assert.type(state.resources["dev-0002"].batchId, "string", "the batch that found it gone is recorded");
});

test("apply without a terminal and without --auto-approve fails before any request", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001"]));
  const result = await decom(["apply"], { cwd: dir, endpoint: emulator.url });
  assert.is(result.code, 1);
  assert.match(result.stderr, "--auto-approve");
  assert.is(emulator.requests.length, 0);
});

test("apply asks, and only 'yes' proceeds", async ({ emulator, dir }) => {
  const endpoint = emulator.url;
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001"]));
  const no = await decom(["apply"], { cwd: dir, endpoint, answer: "y" });
  assert.is(no.code, 1);
  assert.match(no.stdout, "Only 'yes' will be accepted");
  assert.match(no.stderr, "Apply cancelled");
  assert.not.match(no.stdout, "Apply cancelled", "the reason for exit 1 is on stderr");
  assert.is(emulator.count("POST"), 0);
  const yes = await decom(["apply"], { cwd: dir, endpoint, answer: "yes" });
  assert.is(yes.code, 0, yes.stdout + yes.stderr);
  assert.is(emulator.count("POST"), 1);
});

test.run();
