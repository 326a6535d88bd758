/** Failure prediction and ordering: what would fail is refused at plan time, and what can succeed does. */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import type { EmulatedEntity } from "../../src/emulator/tenant.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { assertFileValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: blockers, waves, targets");

// site ← gw-1 ← dev-1..3, gw-2 ← dev-4..5 (type "sensor"), all of type "tree" except the sensors.
const tree: EmulatedEntity[] = [
  { id: "site", resourceTypeId: "tree" },
  { id: "gw-1", resourceTypeId: "tree", parentId: "site" },
  { id: "gw-2", resourceTypeId: "tree", parentId: "site" },
  ...[1, 2, 3].map((i) => ({ id: `dev-${i}`, resourceTypeId: "sensor", parentId: "gw-1" })),
  ...[4, 5].map((i) => ({ id: `dev-${i}`, resourceTypeId: "sensor", parentId: "gw-2" })),
];
const all = tree.map((r) => r.id);

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({
    seed: world([...tree, ...devices("spare", 15, "spare-type")]),
    timing: { startDelayMs: 5, perIdMs: 0.1 },
  });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace());
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

test("a three-level tree and its types are deleted in one apply with zero failures", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml([...all].reverse(), ["tree", "sensor"]));
  const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.match(plan.stdout, "wave 1: 5 resources in 1 batch");
  assert.match(plan.stdout, "wave 2: 2 resources (parents of earlier waves) in 1 batch");
  assert.match(plan.stdout, "wave 3: 1 resource (parents of earlier waves) in 1 batch");
  assert.match(plan.stdout, "wave 4: 2 resource types in 1 batch");
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.match(apply.stdout, "Apply complete: 10 deleted, 0 absent, 0 failed.");
  for (const id of all) assert.not.ok(emulator.tenant.resources.has(id));
  assert.not.ok(emulator.tenant.resourceTypes.has("tree") || emulator.tenant.resourceTypes.has("sensor"));
  const sent = [...emulator.batches.batches.values()].map((b) => b.body.query.ids.join(","));
  assert.equal(sent, ["dev-1,dev-2,dev-3,dev-4,dev-5", "gw-1,gw-2", "site", "sensor,tree"]);
});

test("a child outside the plan blocks it and is named; nothing is sent or written", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["gw-1", "dev-1", "dev-3"]));
  const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 1);
  assert.match(plan.stderr, 'resource "gw-1" still has 1 child the plan does not delete: "dev-2"');
  assert.match(plan.stderr, "Error: the plan is blocked (1 problem); apply will refuse it:");
  assert.is(emulator.count("POST"), 0);
  assert.not.ok(existsSync(join(dir, "decom.state.json")));
  assertFileValid("plan", join(dir, "plan.json"));
  const saved = readJsonFile(join(dir, "plan.json"));
  // Where the entry that brought gw-1 in is written: `  - id: gw-1`, line 3 of the manifest.
  assert.equal(saved.blockers, [
    { code: "children-outside-plan", kind: "resource", id: "gw-1", ids: ["dev-2"], count: 1, source: { line: 3, column: 9 } },
  ]);
  assert.equal(saved.waves, []);
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1);
  assert.equal(apply.stderr.trimEnd().split("\n"), [
    'error: plan.json is blocked: resource "gw-1" still has 1 child the plan does not delete: "dev-2" (manifest line 3)',
    "error: plan.json was not applied; once these are resolved (in the manifest or on the tenant), " +
      "make a new plan: decom plan --out plan.json",
  ]);
  assert.is(emulator.count("POST"), 0);
});

// Above 250 ids, or with ids that cannot go inside `in(...)`, the children check
// takes more than one request and starts with one count of `parentId:exists()`.
async function assertChildBlocks(emulator: Emulator, dir: string, manifest: string, parent: string, child: string, line: number) {
  writeFileSync(join(dir, "decom.yaml"), manifest);
  const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 1, plan.stdout + plan.stderr);
  assert.match(plan.stderr, `resource ${JSON.stringify(parent)} still has 1 child the plan does not delete: ${JSON.stringify(child)}`);
  assert.match(plan.stderr, "Error: the plan is blocked (1 problem); apply will refuse it:");
  const saved = readJsonFile(join(dir, "plan.json"));
  assert.equal(saved.blockers, [
    { code: "children-outside-plan", kind: "resource", id: parent, ids: [child], count: 1, source: { line, column: 9 } },
  ]);
  assert.match(manifest.split("\n")[line - 1]!, new RegExp(`^  - id: "?${parent}"?$`), "the source is the line of the parent's entry");
  assert.is(emulator.count("POST"), 0);
  assert.not.ok(existsSync(join(dir, "decom.state.json")));
}

test("300 ids: a child outside the plan still blocks it when the check takes more than one request", async ({ emulator, dir }) => {
  const gateways = devices("g", 150, "gw");
  for (const g of gateways) emulator.tenant.addResource(g);
  const sensors = gateways.map((g, i) => ({ id: `s-${String(i + 1).padStart(4, "0")}`, resourceTypeId: "sensor", parentId: g.id }));
  for (const s of sensors) emulator.tenant.addResource(s);
  emulator.tenant.addResource({ id: "s-stray", resourceTypeId: "sensor", parentId: "g-0077" });
  await assertChildBlocks(emulator, dir, manifestYaml([...gateways, ...sensors].map((r) => r.id)), "g-0077", "s-stray", 79);
});

test("parents whose ids hold a space are checked another way, and a child outside the plan still blocks", async ({ emulator, dir }) => {
  emulator.tenant.addResource({ id: "gw 1", resourceTypeId: "tree" });
  emulator.tenant.addResource({ id: "gw 2", resourceTypeId: "tree" });
  for (const [id, parent] of [
    ["leaf-1", "gw 1"],
    ["leaf-2", "gw 2"],
    ["leaf-3", "gw 1"],
  ])
    emulator.tenant.addResource({ id: id!, resourceTypeId: "sensor", parentId: parent });
  await assertChildBlocks(emulator, dir, manifestYaml(['"gw 1"', '"gw 2"', "leaf-1", "leaf-2"]), "gw 1", "leaf-3", 3);
});

test("a type still used outside the plan blocks it, naming the first 10 users and the count", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["spare-0001"], ["spare-type"]));
  const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 1);
  const named = devices("spare", 11)
    .slice(1)
    .map((d) => `"${d.id}"`)
    .join(", ");
  // `resourceTypes:` follows the one resource: `  - id: spare-type` is line 5.
  assert.match(
    plan.stderr,
    `resourceType "spare-type" is still used by 14 resources the plan does not delete: ${named} and 4 more (manifest line 5)\n`,
  );
});

test("guard.maxDeletes blocks a plan that deletes more", async ({ emulator, dir }) => {
  writeFileSync(
    join(dir, "decom.yaml"),
    manifestYaml(
      devices("spare", 15).map((d) => d.id),
      ["spare-type"],
      "guard:\n  maxDeletes: 15",
    ),
  );
  const plan = await decom(["plan", "--detailed-exitcode"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 1);
  // manifestYaml writes `guard:` on line 2, so `maxDeletes: 15` is line 3.
  assert.match(plan.stderr, "the plan deletes 16 resources and resource types; guard.maxDeletes allows 15 (manifest line 3)\n");
  assert.is(emulator.count("POST"), 0);
});

test("--target limits the plan to an id and what it depends on", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml([...all, ...devices("spare", 15).map((d) => d.id)], ["sensor", "spare-type"]));
  const gw = await decom(["plan", "--target", "gw-1", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(gw.code, 0, gw.stdout + gw.stderr);
  assert.match(gw.stdout, "Plan: 4 to delete, 0 already absent, 0 to forget.");
  assert.match(gw.stdout, "Targeted plan: limited to --target gw-1 and what it depends on.");
  const ids = readJsonFile(join(dir, "plan.json")).changes.map((c: { id: string }) => c.id);
  assert.equal(ids, ["dev-1", "dev-2", "dev-3", "gw-1"]);

  const type = await decom(["plan", "--target", "resourceType:spare-type"], { cwd: dir, endpoint: emulator.url });
  assert.match(type.stdout, "Plan: 16 to delete, 0 already absent, 0 to forget.", "the type and every resource of it");

  const unknown = await decom(["plan", "--target", "nope"], { cwd: dir, endpoint: emulator.url });
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, "--target nope: not in the manifest, the selectors' matches, or the state");

  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.ok(emulator.tenant.resources.has("gw-2") && emulator.tenant.resources.has("site"), "untargeted ids untouched");
});

test("a recreated resource is planned for deletion again", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["spare-0001"]));
  assert.is((await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0);
  emulator.tenant.addResource({ id: "spare-0001", resourceTypeId: "spare-type" });
  const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.match(plan.stdout, /- resource "spare-0001" +type "spare-type"; recreated since last apply \(deleted 20\d\d-/);
});

test("a stale plan is refused after another apply changed the state", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["spare-0001", "spare-0002"]));
  assert.is((await decom(["apply", "--auto-approve", "--target", "spare-0001"], { cwd: dir, endpoint: emulator.url })).code, 0);
  await decom(["plan", "--out", "reviewed.json"], { cwd: dir, endpoint: emulator.url });
  assert.is((await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0, "someone else applied meanwhile");
  const posts = emulator.count("POST");
  const stale = await decom(["apply", "reviewed.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(stale.code, 1);
  assert.match(stale.stderr, "reviewed.json is stale and was not applied: the state was written since (serial 1 in the plan, 2 now)");
  assert.is(emulator.count("POST"), posts);
});

test.run();
