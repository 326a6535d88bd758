/** Selectors are resolved on the live tenant when planning; a saved plan holds the ids, never the query. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { decom, workspace } from "../helpers/decom.js";
import { assertFileValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: selectors");

const fleet = [
  ...devices("old", 2500, "legacy-thermostat", { tags: ["hvac", "retired"], customer: "acme", firmware: "1.4" }),
  ...devices("new", 40, "legacy-thermostat", { tags: ["hvac"], customer: "acme", firmware: "2.1" }),
  ...devices("other", 30, "legacy-thermostat", { tags: ["hvac", "retired"], customer: "globex", firmware: "1.2" }),
];

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({ seed: world(fleet), maxPageSize: 1000, timing: { startDelayMs: 5, perIdMs: 0.01 } });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace());
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

const SELECTOR =
  "version: 1\nresources:\n  - select:\n      resourceTypeId: legacy-thermostat\n      tags: [retired]\n      customer: acme\n";
const json = (dir: string, name: string) => readJsonFile(join(dir, name));

test("a selector matching 2,500 resources across pages resolves all of them; apply deletes exactly those", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), SELECTOR);
  const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, "Plan: 2,500 to delete, 0 already absent, 0 to forget.");
  assert.match(plan.stdout, "select?customer=acme&resourceTypeId=legacy-thermostat&tag=retired  matched 2,500 resources");
  const listings = emulator.requests.filter((r) => r.path === "/resources/v1/resources" && r.search.includes("tag=retired"));
  assert.is(listings.length, 3, "three pages of at most 1000");
  assertFileValid("plan", join(dir, "plan.json"));
  const saved = json(dir, "plan.json");
  assert.equal(saved.selectors, [{ entry: "select?customer=acme&resourceTypeId=legacy-thermostat&tag=retired", matched: 2500 }]);
  assert.equal(
    saved.changes.map((c: { id: string }) => c.id),
    devices("old", 2500).map((d) => d.id),
  );
  assert.ok(saved.changes.every((c: { entry: string }) => c.entry === "select?customer=acme&resourceTypeId=legacy-thermostat&tag=retired"));

  // Provisioned after the review: it matches the selector, but it is not in the plan.
  emulator.tenant.addResource({ id: "old-9999", resourceTypeId: "legacy-thermostat", tags: ["retired"], customer: "acme" });
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.match(apply.stdout, "Apply complete: 2,500 deleted, 0 absent, 0 failed.");
  assert.ok(emulator.tenant.resources.has("old-9999"), "apply never re-expands a selector");
  assert.ok(emulator.tenant.resources.has("new-0001") && emulator.tenant.resources.has("other-0001"));
  assertFileValid("state", join(dir, "decom.state.json"));

  const next = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.match(next.stdout, '- resource "old-9999"', "the next plan finds what the selector now matches");
  assert.match(next.stdout, "Plan: 1 to delete, 0 already absent, 0 to forget.");
});

test("deleted ids stay converged while their selector is in the manifest, and are forgotten when it goes", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), "version: 1\nresources:\n  - select:\n      customer: globex\n");
  assert.is((await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url })).code, 0);
  const again = await decom(["plan", "--detailed-exitcode"], { cwd: dir, endpoint: emulator.url });
  assert.is(again.code, 0, again.stdout);
  assert.match(again.stdout, "No changes.");

  writeFileSync(join(dir, "decom.yaml"), "version: 1\n");
  const forget = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.match(forget.stdout, "Plan: 0 to delete, 0 already absent, 30 to forget.");
  assert.match(forget.stdout, "its selector is no longer in the manifest");
});

test("a query selector matches by the metadata query language", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), 'version: 1\nresources:\n  - select:\n      query: "firmware:lt(2.0) customer:eq(globex)"\n');
  const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.match(plan.stdout, "Plan: 30 to delete, 0 already absent, 0 to forget.");
});

test('a bare `parentId:exists` is an equality: it selects the children of a resource named "exists", not every child', async ({
  emulator,
  dir,
}) => {
  emulator.tenant.addResource({ id: "gw", resourceTypeId: "legacy-thermostat" });
  emulator.tenant.addResource({ id: "exists", resourceTypeId: "legacy-thermostat" });
  emulator.tenant.addResource({ id: "child-of-gw", resourceTypeId: "legacy-thermostat", parentId: "gw" });
  emulator.tenant.addResource({ id: "child-of-exists", resourceTypeId: "legacy-thermostat", parentId: "exists" });
  writeFileSync(join(dir, "decom.yaml"), 'version: 1\nresources:\n  - select:\n      query: "parentId:exists"\n');
  const bare = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(bare.code, 0, bare.stdout + bare.stderr);
  assert.equal(
    json(dir, "plan.json").changes.map((c: { id: string }) => c.id),
    ["child-of-exists"],
  );

  writeFileSync(join(dir, "decom.yaml"), 'version: 1\nresources:\n  - select:\n      query: "parentId:exists()"\n');
  const exists = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(exists.code, 0, exists.stdout + exists.stderr);
  assert.equal(
    json(dir, "plan.json").changes.map((c: { id: string }) => c.id),
    ["child-of-exists", "child-of-gw"],
  );
});

test("an explicit entry and a selector naming the same id: the explicit entry and its cascade win", async ({ emulator, dir }) => {
  writeFileSync(
    join(dir, "decom.yaml"),
    "version: 1\nresources:\n  - select:\n      customer: globex\n    cascade: [tasks]\n  - id: other-0001\n    cascade: [alarms]\n",
  );
  await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  const change = json(dir, "plan.json").changes.find((c: { id: string }) => c.id === "other-0001");
  assert.equal([change.entry, change.cascade], ["id", ["alarms"]]);
});

test("a selector that matches a protected resource blocks the plan: exit 1, nothing sent, no state", async ({ emulator, dir }) => {
  writeFileSync(
    join(dir, "decom.yaml"),
    "version: 1\nresources:\n  - select:\n      customer: globex\nprotect:\n  resources: [other-0007]\n",
  );
  const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 1);
  // The selector that matched it is written at line 3: the plan file and the text view say so.
  assert.match(
    plan.stderr,
    'resource "other-0007" is protected (protect.resources), and "select?customer=globex" matched it (manifest line 3)',
  );
  assert.match(plan.stdout, "Saved the blocked plan to plan.json");
  assert.equal((readJsonFile(join(dir, "plan.json")) as { blockers: { source?: unknown }[] }).blockers[0]!.source, { line: 3, column: 5 });
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1);
  assert.match(apply.stderr, "plan.json was not applied; once these are resolved");
  const direct = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
  assert.is(direct.code, 1);
  assert.is(emulator.count("POST"), 0);
  assert.equal((readJsonFile(join(dir, "plan.json")) as { waves: unknown[] }).waves, [], "a blocked plan holds no batches");
});

test.run();
