/**
 * The human views read one way everywhere: numbers grouped (`1,200`), nouns
 * agreeing with their counts, no colour or cursor control on a dumb terminal,
 * a summary that says when ids failed, and `apply --quiet` without every id.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: text views");

const FLEET = 1200;
const SELECT_ALL = "version: 1\nresources:\n  - select:\n      resourceTypeId: device\n";

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({ seed: world(devices("dev", FLEET)), timing: { startDelayMs: 2, perIdMs: 0.01 } });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace());
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

test("numbers are grouped in every text view: plan, waves, selectors, markdown, progress, apply summary, state", async ({
  emulator,
  dir,
}) => {
  writeFileSync(join(dir, "decom.yaml"), SELECT_ALL);
  const plan = await decom(["plan", "--out", "plan.json", "--batch-size", "1000"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, "Plan: 1,200 to delete, 0 already absent, 0 to forget.");
  assert.match(plan.stdout, "matched 1,200 resources");
  assert.match(plan.stdout, "Execution: 1 wave, 2 batches of at most 1,000 ids;");
  assert.match(plan.stdout, "wave 1: 1,200 resources in 2 batches");

  const md = await decom(["show", "plan.json", "--format", "markdown"], { cwd: dir });
  assert.match(md.stdout, "### decom plan: 1,200 to delete, 0 already absent, 0 to forget");
  assert.match(md.stdout, "| resources | 1,200 | 0 | 0 |");
  assert.match(md.stdout, "2 batches of at most 1,000 ids");
  assert.match(md.stdout, "matched 1,200 resources");
  assert.match(md.stdout, "Delete: 1,200 resources");

  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, "Wave 1/1: deleting 1,200 resources in 2 batches...");
  assert.match(apply.stdout, "Wave 1/1: 1,200 resources: 1,200 deleted, 0 absent, 0 failed in ");
  assert.match(apply.stdout, "Apply complete: 1,200 deleted, 0 absent, 0 failed.");

  const state = await decom(["show", "decom.state.json"], { cwd: dir });
  assert.match(state.stdout, "\n1,200 deleted, 0 absent, 0 failed.\n");
});

test("numbers are grouped in blockers: the guard and a type still in use", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), SELECT_ALL + "guard:\n  maxDeletes: 1000\n");
  const guard = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.is(guard.code, 1);
  assert.match(guard.stderr, "the plan deletes 1,200 resources and resource types; guard.maxDeletes allows 1,000");

  writeFileSync(join(dir, "decom.yaml"), manifestYaml([], ["device"]));
  const inUse = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.is(inUse.code, 1);
  assert.match(inUse.stderr, 'resourceType "device" is still used by 1,200 resources the plan does not delete: "dev-0001"');
  assert.match(inUse.stderr, '"dev-0010" and 1,190 more');
});

test("apply --quiet without a saved plan shows the plan's totals, not every id; blockers still show", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001", "dev-0002", "dev-0003"]));
  const apply = await decom(["apply", "--auto-approve", "--quiet"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 0, apply.stderr);
  assert.not.match(apply.stdout, '- resource "dev-0001"');
  assert.not.match(apply.stdout, "Wave 1/1");
  assert.match(apply.stdout, "Plan: 3 to delete, 0 already absent, 0 to forget.");
  assert.match(apply.stdout, "Apply complete: 3 deleted, 0 absent, 0 failed.");

  emulator.tenant.addResource({ id: "parent", resourceTypeId: "device" });
  emulator.tenant.addResource({ id: "child", resourceTypeId: "device", parentId: "parent" });
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["parent"]));
  const blocked = await decom(["apply", "--auto-approve", "--quiet"], { cwd: dir, endpoint: emulator.url });
  assert.is(blocked.code, 1);
  assert.not.match(blocked.stdout, '- resource "parent"');
  assert.match(blocked.stdout, "Plan: 1 to delete, 0 already absent, 3 to forget. Blocked.");
  assert.match(blocked.stderr, 'resource "parent" still has 1 child the plan does not delete: "child"');
});

test("TERM=dumb: no colour, and progress as plain lines without cursor control", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001", "dev-0002"]));
  const coloured = await decom(["plan"], { cwd: dir, endpoint: emulator.url, tty: true });
  assert.match(coloured.stdout, "\u001b[31m", "colour at an ordinary terminal");
  const dumb = await decom(["plan"], { cwd: dir, endpoint: emulator.url, tty: true, env: { TERM: "dumb" } });
  assert.is(dumb.code, 0, dumb.stderr);
  assert.match(dumb.stdout, '- resource "dev-0001"');
  assert.not.match(dumb.stdout, "\u001b[");

  const apply = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url, tty: true, env: { TERM: "dumb" } });
  assert.is(apply.code, 0, apply.stderr);
  assert.not.match(apply.stdout, "\u001b[");
  assert.not.match(apply.stdout, "\r");
  assert.match(apply.stdout, "Wave 1/1: deleting 2 resources in 1 batch...");
  assert.match(apply.stdout, "Apply complete: 2 deleted, 0 absent, 0 failed.");
});

test("an apply with failed ids says so in its summary, not 'Apply complete'", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001", "dev-0002"]));
  await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  emulator.tenant.addResource({ id: "late-child", resourceTypeId: "device", parentId: "dev-0001" });
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1);
  assert.match(apply.stdout, "Apply finished with failures: 1 deleted, 0 absent, 1 failed.");
  assert.not.match(apply.stdout, "Apply complete");
});

test("a state with one id in flight: '1 resource', and validate says '1 in-flight batch'", async ({ dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001"]));
  const state = {
    version: 1,
    lineage: "bf6920ae-0fd9-4f7d-bd0d-d1c16cd44574",
    serial: 1,
    endpoint: "http://127.0.0.1:1",
    resources: {},
    resourceTypes: {},
    inFlight: [{ kind: "resource", ids: { "dev-0001": "id" }, submitted: "2026-01-01T00:00:00.000Z", batchId: "b-1" }],
  };
  writeFileSync(join(dir, "decom.state.json"), JSON.stringify(state, null, 2) + "\n");
  const shown = await decom(["show", "decom.state.json"], { cwd: dir });
  assert.is(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, "batch b-1, 1 resource, since 2026-01-01T00:00:00.000Z");
  const validate = await decom(["validate"], { cwd: dir });
  assert.is(validate.code, 0, validate.stderr);
  assert.match(validate.stdout, "1 in-flight batch recorded: the next decom plan or apply follows it.");
});

test("init: 'Added 1 line to .gitignore'", async ({ dir }) => {
  writeFileSync(
    join(dir, ".gitignore"),
    "# decom: the state lock exists only while decom runs (keep the state file, and a journal an interrupted apply left, in git)\n" +
      "*.state.json.lock\n" +
      "# decom: the temporary file of a state write cut short by a crash (the state itself is intact)\n" +
      ".*.state.json.*.tmp\n" +
      "# decom: saved plans are reviewed in pull requests; ignore them if you do not commit them\n" +
      "# decom: the archive holds the tenant's documents as they were before deletion (decom restore); commit it or not, your choice\n" +
      "# *.archive.jsonl\n",
  );
  const init = await decom(["init"], { cwd: dir });
  assert.is(init.code, 0, init.stderr);
  assert.match(init.stdout, "Added 1 line to .gitignore.");
});

test.run();
