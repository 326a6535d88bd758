/**
 * plan --check-referrers: a resource to delete that a resource outside the plan
 * still refers to (a `$ref` in its metadata) blocks the plan, naming both; one
 * referred to only from inside the plan does not; without the flag no
 * referrers request is made. Over the emulator's referrers endpoint.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { readJsonFile } from "../helpers/json-file.js";
import { assertFileValid } from "../helpers/schemas.js";
import { world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: plan --check-referrers");

// meter-1 and meter-2 say where they are installed; dashboard (kept) shows meter-1.
const seed = world([
  { id: "site", resourceTypeId: "site" },
  { id: "meter-1", resourceTypeId: "meter", installedAt: { $ref: "/resources/site" } },
  { id: "meter-2", resourceTypeId: "meter", installedAt: { $ref: "/resources/site" } },
  { id: "dashboard", resourceTypeId: "view", panels: [{ title: "main", source: { $ref: "/resources/meter-1" } }] },
]);

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({ seed, timing: { startDelayMs: 5, perIdMs: 0.1 } });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace());
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

const referrersRequests = (emulator: Emulator) => emulator.requests.filter((r) => r.path.endsWith("/referrers")).map((r) => r.path);

test("a resource referred to from outside the plan blocks it, naming both; nothing is sent or written", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["site", "meter-1", "meter-2"]));
  const plan = await decom(["plan", "--check-referrers", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 1, plan.stdout + plan.stderr);
  assert.match(
    plan.stderr,
    'resource "meter-1" is still referred to by 1 resource the plan does not delete: "dashboard" (manifest line 4)',
  );
  assert.match(plan.stderr, "Error: the plan is blocked (1 problem); apply will refuse it:");
  assert.equal(referrersRequests(emulator).sort(), [
    "/resources/v1/resources/meter-1/referrers",
    "/resources/v1/resources/meter-2/referrers",
    "/resources/v1/resources/site/referrers",
  ]);
  assert.is(emulator.count("POST"), 0);
  assert.not.ok(existsSync(join(dir, "decom.state.json")));
  assertFileValid("plan", join(dir, "plan.json"));
  const saved = readJsonFile(join(dir, "plan.json"));
  assert.equal(saved.blockers, [
    { code: "referenced-outside-plan", kind: "resource", id: "meter-1", ids: ["dashboard"], count: 1, source: { line: 4, column: 9 } },
  ]);
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1);
  assert.match(apply.stderr, 'error: plan.json is blocked: resource "meter-1" is still referred to by 1 resource');
  assert.is(emulator.count("POST"), 0);
});

test("apply that plans itself checks referrers with the flag too", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["meter-1"]));
  const apply = await decom(["apply", "--check-referrers", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1, apply.stdout + apply.stderr);
  assert.match(apply.stderr, 'resource "meter-1" is still referred to by 1 resource the plan does not delete: "dashboard"');
  assert.is(emulator.count("POST"), 0);
  assert.ok(emulator.tenant.resources.has("meter-1"));
});

test("referred to only from inside the plan: not blocked, and applied", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["site", "meter-1", "meter-2", "dashboard"]));
  const plan = await decom(["plan", "--check-referrers", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 0, plan.stdout + plan.stderr);
  assert.match(plan.stdout, "Plan: 4 to delete, 0 already absent, 0 to forget.");
  assert.is(referrersRequests(emulator).length, 4);
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.is(emulator.tenant.resources.size, 0);
});

test("a referrer the plan also deletes goes in an earlier wave than what it refers to, whatever the ids' order", async () => {
  // z-dashboard sorts after a-meter: in one wave, the server could be asked to delete a-meter first and refuse.
  const emulator = await startEmulator({
    seed: world([
      { id: "a-meter", resourceTypeId: "meter" },
      { id: "z-dashboard", resourceTypeId: "view", source: { $ref: "/resources/a-meter" } },
    ]),
  });
  const { dir, remove } = workspace({ "decom.yaml": manifestYaml(["a-meter", "z-dashboard"]) });
  try {
    const plan = await decom(["plan", "--check-referrers", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stdout + plan.stderr);
    const waves = readJsonFile(join(dir, "plan.json")).waves as { batches: { body: { query: { ids: string[] } } }[] }[];
    assert.equal(
      waves.map((w) => w.batches.flatMap((b) => b.body.query.ids)),
      [["z-dashboard"], ["a-meter"]],
    );
    const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(apply.code, 0, apply.stdout + apply.stderr);
    assert.is(emulator.tenant.resources.size, 0);
  } finally {
    remove();
    await emulator.close();
  }
});

test("without the flag, no referrers request is made and the plan is not blocked by them", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["site", "meter-1", "meter-2"]));
  const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 0, plan.stdout + plan.stderr);
  assert.equal(referrersRequests(emulator), []);
  // The service refuses what is still referred to: meter-1 (by dashboard), then site (by meter-1, still there).
  const apply = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1, apply.stdout + apply.stderr);
  assert.match(apply.stdout, "Apply finished with failures: 1 deleted, 0 absent, 2 failed.");
  assert.match(apply.stderr, 'resource "meter-1": Resource is still parent of or referenced by 1 resource(s)');
  assert.equal([...emulator.tenant.resources.keys()].sort(), ["dashboard", "meter-1", "site"]);
});

test.run();
