/**
 * Views on stdout, errors and warnings on stderr: `decom plan > plan.txt` keeps
 * the plan in the file and still shows on the terminal why it was blocked.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: stdout and stderr");

const DEPENDENCY_ADVICE = "Add what still depends on these";

test.before.each(async (ctx) => {
  const seed = world([
    { id: "gw-1", resourceTypeId: "gateway" },
    { id: "dev-1", resourceTypeId: "sensor", parentId: "gw-1" },
    { id: "dev-2", resourceTypeId: "sensor", parentId: "gw-1" },
    { id: "zero\u200bwidth", resourceTypeId: "sensor" },
    ...devices("spare", 5, "spare-type", { customer: "globex" }),
  ]);
  ctx.emulator = await startEmulator({ seed, timing: { startDelayMs: 5, perIdMs: 0.1 } });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace());
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

test("a blocked plan: the view and its summary on stdout, the blockers and their advice on stderr", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["gw-1", "dev-1"]));
  const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 1);
  assert.match(plan.stdout, '- resource "gw-1"');
  assert.match(plan.stdout, "Plan: 2 to delete, 0 already absent, 0 to forget. Blocked.");
  assert.not.match(plan.stdout, "Error:");
  assert.not.match(plan.stdout, "still has");
  assert.not.match(plan.stdout, DEPENDENCY_ADVICE);
  assert.match(plan.stderr, "Error: the plan is blocked (1 problem); apply will refuse it:");
  assert.match(plan.stderr, 'resource "gw-1" still has 1 child the plan does not delete: "dev-2"');
  assert.match(plan.stderr, DEPENDENCY_ADVICE, "a dependency blocker gets the dependency advice");
});

test("apply without a saved plan: a blocked plan's blockers on stderr, its view on stdout", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["gw-1", "dev-1"]));
  const apply = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1);
  assert.match(apply.stdout, "Plan: 2 to delete, 0 already absent, 0 to forget. Blocked.");
  assert.not.match(apply.stdout, "Error:");
  assert.match(apply.stderr, 'resource "gw-1" still has 1 child the plan does not delete: "dev-2"');
  assert.is(emulator.count("POST"), 0);
});

test("guard.maxDeletes: its own advice, not the dependency advice", async ({ emulator, dir }) => {
  writeFileSync(
    join(dir, "decom.yaml"),
    manifestYaml(
      devices("spare", 5).map((d) => d.id),
      [],
      "guard:\n  maxDeletes: 3",
    ),
  );
  const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 1);
  assert.match(plan.stderr, "the plan deletes 5 resources and resource types; guard.maxDeletes allows 3");
  assert.not.match(plan.stderr, DEPENDENCY_ADVICE);
  assert.match(plan.stderr, "Raise guard.maxDeletes");
  assert.not.match(plan.stdout, "guard.maxDeletes");
});

test("a protected resource matched by a selector: its own advice, not the dependency advice", async ({ emulator, dir }) => {
  writeFileSync(
    join(dir, "decom.yaml"),
    "version: 1\nresources:\n  - select:\n      customer: globex\nprotect:\n  resources: [spare-0002]\n",
  );
  const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 1);
  assert.match(plan.stderr, 'resource "spare-0002" is protected (protect.resources)');
  assert.not.match(plan.stderr, DEPENDENCY_ADVICE);
  assert.match(plan.stderr, "Narrow the selector");
});

test("blockers of both kinds: each kind's advice once", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["gw-1", "dev-1"], [], "guard:\n  maxDeletes: 1"));
  const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 1);
  assert.is(plan.stderr.split(DEPENDENCY_ADVICE).length, 2);
  assert.is(plan.stderr.split("Raise guard.maxDeletes").length, 2);
});

test("show: a blocked plan's blockers on stderr in text; the markdown comment keeps them", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["gw-1", "dev-1"]));
  await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  const text = await decom(["show", "plan.json"], { cwd: dir });
  assert.is(text.code, 0);
  assert.match(text.stdout, "Plan: 2 to delete, 0 already absent, 0 to forget. Blocked.");
  assert.not.match(text.stdout, "still has");
  assert.match(text.stderr, 'resource "gw-1" still has 1 child the plan does not delete: "dev-2"');
  const md = await decom(["show", "plan.json", "--format", "markdown"], { cwd: dir });
  assert.is(md.stderr, "");
  assert.match(md.stdout, "still has 1 child the plan does not delete");
  assert.match(md.stdout, DEPENDENCY_ADVICE);
});

test("the hidden-ids warning is on stderr: plan, apply's plan, show of a plan and of a state", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), 'version: 1\nresources:\n  - id: "zero\\u200bwidth"\n  - id: spare-0001\n');
  const warning = "Warning: 1 id contains control or invisible characters";
  const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stderr, warning);
  assert.not.match(plan.stdout, "Warning:");
  const shown = await decom(["show", "plan.json"], { cwd: dir });
  assert.match(shown.stderr, warning);
  assert.not.match(shown.stdout, "Warning:");
  const apply = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 0, apply.stderr);
  assert.match(apply.stderr, warning);
  assert.not.match(apply.stdout, "Warning:");
  const state = await decom(["show", "decom.state.json"], { cwd: dir });
  assert.match(state.stderr, warning);
  assert.not.match(state.stdout, "Warning:");
  assert.match(state.stdout, "2 deleted, 0 absent, 0 failed.");
});

test("apply's failed ids and their errors are on stderr; the summary on stdout", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["spare-0001", "spare-0002"]));
  await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  emulator.tenant.addResource({ id: "late-child", resourceTypeId: "sensor", parentId: "spare-0001" });
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1);
  assert.match(apply.stderr, 'resource "spare-0001": Resource is still parent of or referenced by 1 resource(s)');
  assert.not.match(apply.stdout, "Resource is still parent");
  assert.match(apply.stdout, "1 deleted, 0 absent, 1 failed.");
});

test("apply --json with a failed id: the summary's status says so, not 'complete'", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["spare-0001", "spare-0002"]));
  await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  emulator.tenant.addResource({ id: "late-child", resourceTypeId: "sensor", parentId: "spare-0001" });
  const apply = await decom(["apply", "plan.json", "--json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1);
  const summary = JSON.parse(apply.stdout.trimEnd().split("\n").at(-1) ?? "{}") as { type: string; status: string; failed: number };
  assert.equal([summary.type, summary.status, summary.failed], ["apply_summary", "finished-with-failures", 1]);
});

test("decom with no command: the usage is the error, on stderr; --help is the view, on stdout", async ({ dir }) => {
  const bare = await decom([], { cwd: dir });
  assert.is(bare.code, 1);
  assert.is(bare.stdout, "");
  assert.match(bare.stderr, "Usage: decom <command>");
  const help = await decom(["--help"], { cwd: dir });
  assert.is(help.code, 0);
  assert.match(help.stdout, "Usage: decom <command>");
  assert.is(help.stderr, "");
});

test.run();
