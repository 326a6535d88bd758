/** --json lines for CI tools (each valid against schemas/events.schema.json) and --debug traces. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { assertValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: --json and --debug");

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({
    seed: world(devices("dev", 12, "legacy")),
    credentials: { kind: "basic", apiKey: "key-123456", apiSecret: "s3cret-never-shown" },
  });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({
    "decom.yaml": manifestYaml([...devices("dev", 12).map((d) => d.id), "ghost"], ["legacy"], "guard:\n  maxDeletes: 20"),
  }));
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

const env = { WAYLAY_API_KEY: "key-123456", WAYLAY_API_SECRET: "s3cret-never-shown" };

function lines(stdout: string): Record<string, unknown>[] {
  const out = stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const line of out) assertValid("events", line, `--json line ${JSON.stringify(line)}`);
  return out;
}

test("plan --json: a planned_change per change, then plan_summary, then its warnings", async ({ emulator, dir }) => {
  const plan = await decom(["plan", "--json", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url, env });
  assert.is(plan.code, 0, plan.stderr);
  const out = lines(plan.stdout);
  assert.equal(
    out.map((l) => l.type),
    [...Array(14).fill("planned_change"), "plan_summary", "diagnostic"],
  );
  // "ghost" is on no tenant and in no state: a typo?
  assert.equal(
    [out[15]!.severity, out[15]!.code, out[15]!.source],
    ["warning", "plan.not-found", { file: "decom.yaml", line: 17, column: 9 }],
  );
  assert.equal([out[14]!.delete, out[14]!.absent, out[14]!.blocked, out[14]!.saved], [13, 1, false, "plan.json"]);
  // The words as the text view writes them, and the code the saved plan records.
  const absent = out.find((l) => l.action === "absent")!;
  assert.equal([absent.reason, absent.reasonCode], ["not found on the tenant", "not-found"]);
});

test("apply --json: waves, batches submitted and finished, then apply_summary", async ({ emulator, dir }) => {
  await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url, env });
  const apply = await decom(["apply", "plan.json", "--json"], { cwd: dir, endpoint: emulator.url, env });
  assert.is(apply.code, 0, apply.stderr);
  const out = lines(apply.stdout);
  assert.equal(
    out.map((l) => l.type),
    [
      "wave_started",
      "batch_submitted",
      "batch_finished",
      "wave_finished",
      "wave_started",
      "batch_submitted",
      "batch_finished",
      "wave_finished",
      "apply_summary",
    ],
  );
  assert.equal([out[8]!.status, out[8]!.deleted, out[8]!.absent], ["complete", 13, 1]);
});

test("errors under --json are diagnostic lines on stdout, with the same exit code", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), "version: 1\nresources:\n  - idd: x\n");
  const result = await decom(["plan", "--json"], { cwd: dir, endpoint: emulator.url, env });
  assert.is(result.code, 1);
  const out = lines(result.stdout);
  assert.equal(
    out.map((l) => [l.type, l.summary]),
    [
      ["diagnostic", 'needs "id" or "select"'],
      ["diagnostic", 'unknown key "idd" (did you mean "id"?)'],
    ],
  );
  assert.equal(out[0]!.source, { file: "decom.yaml", line: 3, column: 5 });
  const noQuestion = await decom(["apply", "--json"], { cwd: dir, endpoint: emulator.url, env });
  assert.match(lines(noQuestion.stdout)[0]!.summary as string, "not asking for confirmation with --json");
});

test("--debug traces every request with its status and time, and never a secret", async ({ emulator, dir }) => {
  const plan = await decom(["plan", "--debug"], { cwd: dir, endpoint: emulator.url, env });
  assert.is(plan.code, 0, plan.stderr);
  const traces = plan.stderr.split("\n").filter((l) => l.startsWith("debug: GET "));
  assert.is(traces.length, emulator.requests.length);
  assert.match(traces[0]!, new RegExp(`^debug: GET ${emulator.url.replace(/\./g, "\\.")}/resources/v1/resource\\S* → 200 in \\d+ ms$`));
  assert.match(plan.stderr, "API key key-… (from WAYLAY_API_KEY/WAYLAY_API_SECRET)");
  assert.not.match(plan.stderr, "s3cret");
  assert.not.match(plan.stderr, "key-123456");
});

test('--debug without credentials says so plainly, not "(from none)"', async ({ dir }) => {
  const open = await startEmulator({ seed: world(devices("dev", 3)) });
  try {
    const plan = await decom(["plan", "--debug"], { cwd: dir, endpoint: open.url });
    assert.is(plan.code, 0, plan.stderr);
    assert.is(plan.stderr.split("\n")[0], `debug: endpoint ${open.url} (from WAYLAY_GATEWAY_URL); no credentials`);
  } finally {
    await open.close();
  }
});

test("--debug shows each URL with its query string; a long one is shortened in the middle, its query still visible", async ({
  emulator,
  dir,
}) => {
  const ghosts = Array.from({ length: 60 }, (_, i) => `ghost-${String(i + 1).padStart(4, "0")}`);
  writeFileSync(
    join(dir, "decom.yaml"),
    `version: 1\nresources:\n  - select:\n      query: "resourceTypeId:eq(legacy)"\n${ghosts.map((id) => `  - id: ${id}\n`).join("")}`,
  );
  const plan = await decom(["plan", "--debug"], { cwd: dir, endpoint: emulator.url, env });
  assert.is(plan.code, 0, plan.stderr);
  const traces = plan.stderr.split("\n").filter((l) => l.startsWith("debug: GET "));
  const listing = `${emulator.url}/resources/v1/resources?query=resourceTypeId%3Aeq%28legacy%29&fields=`;
  assert.ok(
    traces.some((l) => l.startsWith(`debug: GET ${listing}`)),
    `the selector's listing with its query:\n${traces.join("\n")}`,
  );
  const lookup = traces.find((l) => l.includes("?id=ghost-0001&id=ghost-0002"));
  assert.ok(lookup, `the lookup of the 60 ids:\n${traces.join("\n")}`);
  assert.match(lookup!, /…/, "shortened");
  assert.ok(lookup!.length < 300, `to a readable length (${lookup!.length})`);
  assert.match(
    lookup!,
    /&id=ghost-0060&fields=id%2Cname%2CparentId%2CresourceTypeId&skip=0&limit=60 → 200 in \d+ ms$/,
    "its query's end still shown",
  );
  assert.not.match(plan.stderr, "s3cret");
});

test.run();
