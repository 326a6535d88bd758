/**
 * A saved plan edited after review (by hand, or by a merge conflict resolved in
 * the pull request) deletes nothing: apply checks it against its digest and the
 * current manifest before any request, refuses with one line per problem, and
 * leaves the tenant, the state, the lock and the journal untouched.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import type { Change, Plan } from "../../src/plan/model.js";
import { planDigest } from "../../src/plan/planfile.js";
import { decom, workspace } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void; state: string; archive: string; plan: string }>(
  "e2e: a hand-edited saved plan is refused",
);

const manifest = `version: 1
resources:
  - id: dev-0001
  - id: dev-0002
  - id: dev-0003
  - id: gone-1
  - id: gone-2
  - id: gone-3
  - select:
      tags: [retired]
  - select:
      resourceTypeId: legacy
      tags: [retired]
    cascade: [alarms, measurements, tasks]
protect:
  resources: [hq-gateway]
  resourceTypes: [keep]
guard:
  maxDeletes: 7
`;

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({
    seed: world(
      [
        ...devices("dev", 10, "legacy"),
        ...devices("old", 2, "legacy", { tags: ["retired"] }),
        { id: "victim", resourceTypeId: "keep" },
        { id: "hq-gateway", resourceTypeId: "keep" },
      ],
      ["spare-type"],
    ),
  });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({ "decom.yaml": "version: 1\nresources:\n  - id: dev-0010\n" }));
  // A state exists, so "untouched" means byte for byte.
  const first = await decom(["apply", "--auto-approve"], { cwd: ctx.dir, endpoint: ctx.emulator.url });
  assert.is(first.code, 0, first.stdout + first.stderr);
  writeFileSync(join(ctx.dir, "decom.yaml"), manifest);
  const plan = await decom(["plan", "--out", "plan.json"], { cwd: ctx.dir, endpoint: ctx.emulator.url });
  assert.is(plan.code, 0, plan.stdout + plan.stderr);
  ctx.state = readFileSync(join(ctx.dir, "decom.state.json"), "utf8");
  ctx.archive = readFileSync(join(ctx.dir, "decom.archive.jsonl"), "utf8");
  ctx.plan = readFileSync(join(ctx.dir, "plan.json"), "utf8");
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

/** Edits the saved plan as a person would: the JSON changes, the digest does not (unless `rehash`). */
function edit(ctx: { dir: string; plan: string }, change: (plan: Plan) => void, rehash = false): void {
  const plan = JSON.parse(ctx.plan) as Plan;
  change(plan);
  if (rehash) plan.digest = planDigest(plan);
  writeFileSync(join(ctx.dir, "plan.json"), JSON.stringify(plan, null, 2) + "\n");
}

const deleteChange = (kind: Change["kind"], id: string, cascade?: Change["cascade"]): Change =>
  kind === "resource"
    ? { action: "delete", cascade: cascade ?? [], entry: "id", id, kind, reason: { code: "in-manifest" } }
    : { action: "delete", entry: "id", id, kind, reason: { code: "in-manifest" } };

function resourceBatchIds(plan: Plan): string[] {
  return plan.waves[0]!.batches[0]!.body.query.ids;
}

/** Apply refuses: exit 1, one line per problem naming the plan, nothing sent, nothing written. */
async function assertRefused(ctx: { emulator: Emulator; dir: string; state: string; archive: string }, expected: string[]): Promise<void> {
  const apply = await decom(["apply", "plan.json"], { cwd: ctx.dir, endpoint: ctx.emulator.url });
  assert.is(apply.code, 1, apply.stdout + apply.stderr);
  for (const text of expected) assert.match(apply.stderr, text);
  const lines = apply.stderr.trimEnd().split("\n");
  for (const line of lines) assert.ok(line.startsWith("error: plan.json"), `every line names the plan: ${line}`);
  assert.is(apply.stdout, "");
  assert.is(ctx.emulator.count("POST"), 1, "no batch beyond the first apply's");
  assert.ok(ctx.emulator.tenant.resources.has("victim") && ctx.emulator.tenant.resources.has("hq-gateway"));
  assert.ok(ctx.emulator.tenant.resourceTypes.has("spare-type") && ctx.emulator.tenant.resourceTypes.has("keep"));
  assert.is(readFileSync(join(ctx.dir, "decom.state.json"), "utf8"), ctx.state, "the state is byte-identical");
  // Documents may have been asked for while the plan was checked; none is archived for a plan refused.
  assert.is(readFileSync(join(ctx.dir, "decom.archive.jsonl"), "utf8"), ctx.archive, "the archive is byte-identical");
  assert.not.ok(existsSync(join(ctx.dir, "decom.state.json.lock")), "no lock left");
  assert.not.ok(existsSync(join(ctx.dir, "decom.state.json.journal")), "no journal");
}

const CHANGED = "plan.json was changed after it was made";

test("an id the manifest never named, added to a batch and to the changes", async (ctx) => {
  edit(ctx, (plan) => {
    plan.changes.push(deleteChange("resource", "victim"));
    resourceBatchIds(plan).push("victim");
  });
  await assertRefused(ctx, [CHANGED, 'plan.json: deletes resource "victim", which decom.yaml does not name']);
});

test("a change listed twice, digest recomputed: refused, nothing sent (adversary finding)", async (ctx) => {
  edit(
    ctx,
    (plan) => {
      const first = plan.changes.find((c) => c.action === "delete") as Change;
      plan.changes.push({ ...first });
    },
    true,
  );
  const first = (JSON.parse(ctx.plan) as Plan).changes.find((c) => c.action === "delete") as Change;
  await assertRefused(ctx, [`plan.json: ${first.kind} "${first.id}" has more than one change`]);
});

test("what an id is, edited to mislead the reviewer, is caught by the digest", async (ctx) => {
  edit(ctx, (plan) => {
    const change = plan.changes.find((c) => c.id === "dev-0001")!;
    assert.is(change.resourceTypeId, "legacy", "the plan says the type");
    Object.assign(change, { name: "Spare test device", resourceTypeId: "test-rig" });
  });
  await assertRefused(ctx, [CHANGED]);
});

test("what an id is never decides what is deleted: edited with its digest made again, apply deletes the batches' ids", async (ctx) => {
  const before = JSON.parse(ctx.plan) as Plan;
  const batched = before.waves.flatMap((w) => w.batches.flatMap((b) => b.body.query.ids));
  edit(
    ctx,
    (plan) => {
      for (const c of plan.changes) if (c.action === "delete" && c.kind === "resource") Object.assign(c, { parentId: "hq-gateway" });
    },
    true,
  );
  const apply = await decom(["apply", "plan.json"], { cwd: ctx.dir, endpoint: ctx.emulator.url });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  for (const id of batched) assert.not.ok(ctx.emulator.tenant.resources.has(id) || ctx.emulator.tenant.resourceTypes.has(id), id);
  assert.ok(ctx.emulator.tenant.resources.has("hq-gateway") && ctx.emulator.tenant.resources.has("victim"));
});

test("only a deletion says what its id is (an edit with its digest made again)", async (ctx) => {
  edit(ctx, (plan) => Object.assign(plan.changes.find((c) => c.action === "absent")!, { name: "Ghost" }), true);
  const ghost = (JSON.parse(ctx.plan) as Plan).changes.find((c) => c.action === "absent")!.id;
  await assertRefused(ctx, [`plan.json: resource "${ghost}" is planned as absent and carries a name`]);
});

test("a resource type added both ways", async (ctx) => {
  edit(ctx, (plan) => {
    plan.changes.push(deleteChange("resourceType", "spare-type"));
    plan.waves.push({
      kind: "resourceType",
      batches: [{ body: { action: "delete", entity: "resourcetype", query: { ids: ["spare-type"] } } }],
    });
  });
  await assertRefused(ctx, [CHANGED, 'plan.json: deletes resourceType "spare-type", which decom.yaml does not list under resourceTypes']);
});

test("an id swapped for another in the change and the batch", async (ctx) => {
  edit(ctx, (plan) => {
    const change = plan.changes.find((c) => c.id === "dev-0002")!;
    change.id = "victim";
    const ids = resourceBatchIds(plan);
    ids[ids.indexOf("dev-0002")] = "victim";
  });
  await assertRefused(ctx, [CHANGED, 'deletes resource "victim", which decom.yaml does not name']);
});

test("a cascade widened on both sides", async (ctx) => {
  edit(ctx, (plan) => {
    for (const c of plan.changes) if (c.action === "delete") c.cascade = ["alarms", "measurements", "tasks"];
    const body = plan.waves[0]!.batches[0]!.body;
    if (body.entity === "resource") body.actionParameters = { cascade: ["alarms", "measurements", "tasks"] };
  });
  await assertRefused(ctx, [CHANGED, 'deletes resource "dev-0001" with cascade alarms, measurements, tasks; decom.yaml gives it none']);
});

test("a protected id and a protected type added", async (ctx) => {
  edit(ctx, (plan) => {
    plan.changes.push(deleteChange("resource", "hq-gateway"));
    resourceBatchIds(plan).push("hq-gateway");
    plan.changes.push(deleteChange("resourceType", "keep"));
    plan.waves.push({ kind: "resourceType", batches: [{ body: { action: "delete", entity: "resourcetype", query: { ids: ["keep"] } } }] });
  });
  await assertRefused(ctx, [
    CHANGED,
    'resource "hq-gateway" is protected (protect.resources)',
    'resourceType "keep" is protected (protect.resourceTypes)',
  ]);
});

test("guard.maxDeletes exceeded by an edit of ids the manifest does name", async (ctx) => {
  edit(ctx, (plan) => {
    for (const c of plan.changes) {
      if (c.id.startsWith("gone-")) {
        c.action = "delete";
        c.cascade = [];
        resourceBatchIds(plan).push(c.id);
      }
    }
  });
  // `maxDeletes: 7` is line 19 of the manifest above.
  await assertRefused(ctx, [
    CHANGED,
    "plan.json: the plan deletes 8 resources and resource types; guard.maxDeletes allows 7 (decom.yaml line 19)",
  ]);
});

test("a digest recomputed by hand does not let an edit that breaks protect through", async (ctx) => {
  edit(
    ctx,
    (plan) => {
      plan.changes.push(deleteChange("resource", "hq-gateway"));
      resourceBatchIds(plan).push("hq-gateway");
    },
    true,
  );
  const apply = await decom(["apply", "plan.json"], { cwd: ctx.dir, endpoint: ctx.emulator.url });
  assert.not.match(apply.stderr, CHANGED);
  await assertRefused(ctx, [
    'plan.json: resource "hq-gateway" is protected (protect.resources)',
    'deletes resource "hq-gateway", which decom.yaml does not name',
  ]);
});

test("an id slipped in for a selector that never matched it, digest recomputed: the tenant says no", async (ctx) => {
  edit(
    ctx,
    (plan) => {
      plan.changes.push({ ...deleteChange("resource", "victim"), entry: "select?tag=retired" });
      resourceBatchIds(plan).push("victim");
      plan.selectors[0]!.matched = 3;
    },
    true,
  );
  await assertRefused(ctx, [
    'plan.json: deletes resource "victim" for selector "select?tag=retired", which does not match it on the tenant now',
  ]);
});

test("a selector's match count inflated, digest recomputed: apply asks only the pages the plan's deletions need", async (ctx) => {
  edit(
    ctx,
    (plan) => {
      for (const selector of plan.selectors) selector.matched = 1_000_000;
    },
    true,
  );
  const before = ctx.emulator.requests.length;
  const apply = await decom(["apply", "plan.json"], { cwd: ctx.dir, endpoint: ctx.emulator.url });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const listings = ctx.emulator.requests.slice(before).filter((r) => r.path === "/resources/v1/resources" && r.search.includes("tag="));
  assert.ok(listings.length <= 4, `${listings.length} selector listings`);
});

test("a selected resource that no longer matches when the plan is applied is not deleted", async (ctx) => {
  ctx.emulator.tenant.addResource({ id: "old-0002", resourceTypeId: "legacy", tags: ["in-use-again"] });
  await assertRefused(ctx, [
    'plan.json: deletes resource "old-0002" for selector "select?tag=retired", which does not match it on the tenant now',
  ]);
});

test("an id moved to a later, wider-cascade selector, digest recomputed: the first matching selector wins, as in plan", async (ctx) => {
  const wider = ["alarms", "measurements", "tasks"] as Change["cascade"];
  edit(
    ctx,
    (plan) => {
      const change = plan.changes.find((c) => c.id === "old-0001")!;
      change.entry = "select?resourceTypeId=legacy&tag=retired";
      change.cascade = wider;
      const ids = resourceBatchIds(plan);
      ids.splice(ids.indexOf("old-0001"), 1);
      plan.waves[0]!.batches.push({
        body: { action: "delete", actionParameters: { cascade: wider! }, entity: "resource", query: { ids: ["old-0001"] } },
      });
    },
    true,
  );
  await assertRefused(ctx, [
    'plan.json: deletes resource "old-0001" for selector "select?resourceTypeId=legacy&tag=retired"; ' +
      'the first selector in decom.yaml that matches it is "select?tag=retired"',
  ]);
});

test("the untouched plan still applies", async (ctx) => {
  const apply = await decom(["apply", "plan.json"], { cwd: ctx.dir, endpoint: ctx.emulator.url });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.match(apply.stdout, "Apply complete: 5 deleted, 3 absent, 0 failed.");
  assert.ok(ctx.emulator.tenant.resources.has("victim"));
});

test.run();
