/**
 * Ids are tenant data, and may carry control or invisible characters that
 * would rewrite the plan a reviewer reads. Every view shows them escaped, and
 * the plan says that it did.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { decom, workspace, type DecomResult } from "../helpers/decom.js";
import { scriptedServer } from "../helpers/scripted-server.js";
import { world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: hostile ids");

/** Each hostile id, and how a view must show it: JSON-style, double-quoted. */
const HOSTILE: [string, string][] = [
  ['prod-db\r  - resource "tmp-1"', String.raw`"prod-db\r  - resource \"tmp-1\""`],
  ["x\u001b[1A\u001b[2Khidden", String.raw`"x\u001b[1A\u001b[2Khidden"`],
  ["zero\u200bwidth", String.raw`"zero\u200bwidth"`],
  ["bidi\u202egnp.exe", String.raw`"bidi\u202egnp.exe"`],
  ["fence```\n### pwned", '"fence' + "```" + String.raw`\n### pwned"`],
];
const FAILING = "x\u001b[1A\u001b[2Khidden";

/**
 * Written independently of decom's own list, so a gap in it fails here: C0
 * (but \n), DEL, C1, soft hyphen, zero-width and bidi controls, line and
 * paragraph separators, word joiners and invisible operators, BOM.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is what this pattern is for
const RAW_HIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

test.before.each(async (ctx) => {
  const resources = [...HOSTILE.map(([id]) => id), "plain-1"].map((id) => ({ id, resourceTypeId: "device", tags: ["tmp"] }));
  ctx.emulator = await startEmulator({ seed: world(resources), timing: { startDelayMs: 5, perIdMs: 0.1 } });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({ "decom.yaml": "version: 1\nresources:\n  - select:\n      tags: [tmp]\n" }));
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

function assertNoRawHidden(result: DecomResult, what: string): void {
  for (const [stream, text] of [
    ["stdout", result.stdout],
    ["stderr", result.stderr],
  ] as const) {
    const found = RAW_HIDDEN.exec(text);
    const at = found?.index ?? 0;
    const near = JSON.stringify(text.slice(Math.max(0, at - 40), at + 40));
    assert.not.ok(found, `${what}: ${stream} carries a raw U+${found?.[0].codePointAt(0)?.toString(16).padStart(4, "0")} near ${near}`);
  }
}

test("plan, show (text and markdown), apply and the state view show every hostile id escaped", async ({ emulator, dir }) => {
  const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(plan.code, 0, plan.stderr);
  assertNoRawHidden(plan, "plan");
  for (const [, shown] of HOSTILE) assert.match(plan.stdout, `- resource ${shown}`);
  assert.match(plan.stdout, '- resource "plain-1"', "an ordinary id looks as it always did");
  assert.match(
    plan.stderr,
    String.raw`Warning: 5 ids contain control or invisible characters; they are shown escaped (\n, \r, \u001b, \u200b, \u202e).`,
  );
  const saved = readJsonFile(join(dir, "plan.json")) as { changes: { id: string }[] };
  assert.equal(
    saved.changes.map((c) => c.id).sort(),
    [...HOSTILE.map(([id]) => id), "plain-1"].sort(),
    "the plan file keeps the ids exactly",
  );

  const text = await decom(["show", "plan.json"], { cwd: dir });
  assert.is(text.code, 0, text.stderr);
  assertNoRawHidden(text, "show");
  assert.ok(plan.stdout.startsWith(text.stdout), "show is the plan's own view");
  const marked = text.stdout.split("\n").filter((line) => line.includes("id contains control or invisible characters"));
  assert.is(marked.length, HOSTILE.length, "each hostile line is marked, and only those");

  const md = await decom(["show", "plan.json", "--format", "markdown"], { cwd: dir });
  assert.is(md.code, 0, md.stderr);
  assertNoRawHidden(md, "markdown");
  assert.match(md.stdout, "5 ids contain control or invisible characters; they are shown escaped");
  // The list is one fenced block whose fence no id can close, with one line per id.
  const lines = md.stdout.split("\n");
  const open = lines.findIndex((line) => /^`{3,}text$/.test(line));
  const fence = lines[open]!.slice(0, -"text".length);
  assert.ok(fence.length > 3, "the fence is longer than the backtick run in an id");
  const close = lines.indexOf(fence, open + 1);
  const listed = lines.slice(open + 1, close);
  assert.is(listed.length, HOSTILE.length + 1);
  for (const [, shown] of HOSTILE)
    assert.ok(
      listed.some((line) => line.startsWith(`${shown}  `)),
      `${shown} on a line of its own`,
    );
  assert.ok(
    listed.every((line) => line.startsWith('"')),
    "every line starts with its quoted id",
  );

  // A child provisioned after the review makes one deletion fail on the server.
  emulator.tenant.addResource({ id: "late-child", resourceTypeId: "device", parentId: FAILING });
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1, apply.stdout + apply.stderr);
  assertNoRawHidden(apply, "apply");
  assert.match(apply.stderr, String.raw`resource "x\u001b[1A\u001b[2Khidden": Resource is still parent of`);
  assert.match(apply.stdout, "Apply finished with failures: 5 deleted, 0 absent, 1 failed.");

  const state = await decom(["show", "decom.state.json"], { cwd: dir });
  assert.is(state.code, 0, state.stderr);
  assertNoRawHidden(state, "show state");
  for (const [id, shown] of HOSTILE) assert.match(state.stdout, `  ${shown}  ${id === FAILING ? "failed" : "deleted"}`);
});

test("a blocker naming a hostile id, and a hostile error text from the server, are shown escaped", async ({ emulator, dir }) => {
  emulator.tenant.addResource({ id: "late-child", resourceTypeId: "device", parentId: FAILING });
  const blocked = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(blocked.code, 1, blocked.stdout + blocked.stderr);
  assertNoRawHidden(blocked, "blocked plan");
  assert.match(blocked.stderr, String.raw`resource "x\u001b[1A\u001b[2Khidden" still has 1 child the plan does not delete: "late-child"`);
  const md = await decom(["show", "plan.json", "--format", "markdown"], { cwd: dir });
  assertNoRawHidden(md, "blocked markdown");
  assert.match(md.stdout, "> - resource `" + String.raw`"x\u001b[1A\u001b[2Khidden"` + "` still has 1 child");
  const refused = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(refused.code, 1);
  assertNoRawHidden(refused, "refused apply");
  assert.match(refused.stderr, String.raw`plan.json is blocked: resource "x\u001b[1A\u001b[2Khidden" still has`);

  emulator.tenant.deleteResource("late-child");
  assert.is((await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url })).code, 0);
  emulator.tenant.addResource({ id: "late-child", resourceTypeId: "device", parentId: FAILING });
  const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(apply.code, 1, apply.stdout + apply.stderr);
  // What a hostile server could have answered instead: a title change, a bell, a CSI, a bidi override.
  const path = join(dir, "decom.state.json");
  const file = readJsonFile(path) as { resources: Record<string, { error?: string }> };
  file.resources[FAILING]!.error = "boom\u001b]0;pwned\u0007 \u009b2J \u202eevil";
  writeFileSync(path, JSON.stringify(file, null, 2) + "\n");
  const state = await decom(["show", "decom.state.json"], { cwd: dir });
  assert.is(state.code, 0, state.stderr);
  assertNoRawHidden(state, "show state");
  assert.match(state.stdout, String.raw`boom\u001b]0;pwned\u0007 \u009b2J \u202eevil`);

  // The next plan retries it, with the last error as its reason: in the text view and the pull request comment.
  file.resources[FAILING]!.error = "boom\u001b[2J\rPlan: 0 to delete\n```\n</details>\n# injected \u202eevil";
  writeFileSync(path, JSON.stringify(file, null, 2) + "\n");
  emulator.tenant.deleteResource("late-child");
  const retry = await decom(["plan", "--out", "retry.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(retry.code, 0, retry.stdout + retry.stderr);
  assertNoRawHidden(retry, "plan retrying a hostile error");
  assert.match(
    retry.stdout,
    String.raw`retrying: last attempt failed (400: boom\u001b[2J\rPlan: 0 to delete\n` +
      "```" +
      String.raw`\n</details>\n# injected \u202eevil)`,
  );
  const retryMd = await decom(["show", "retry.json", "--format", "markdown"], { cwd: dir });
  assert.is(retryMd.code, 0, retryMd.stderr);
  assertNoRawHidden(retryMd, "markdown retrying a hostile error");
  assert.match(retryMd.stdout, "# injected", "the error is in the comment");
  assert.not.match(retryMd.stdout, "\n# injected", "but cannot start a heading");
});

test("a hostile error text in a failed request reaches stderr escaped", async ({ dir }) => {
  const server = await scriptedServer(() => ({ status: 400, body: { statusCode: 400, error: "no\u001b[2J\u001b]0;pwned\u0007\u202e" } }));
  try {
    writeFileSync(join(dir, "decom.yaml"), "version: 1\nresources:\n  - id: gw-1\n");
    const plan = await decom(["plan"], { cwd: dir, endpoint: server.url });
    assert.is(plan.code, 1);
    assertNoRawHidden(plan, "plan");
    assert.match(plan.stderr, String.raw`answered 400: no\u001b[2J\u001b]0;pwned\u0007\u202e`);
  } finally {
    await server.close();
  }
});

test("errors and notes that name an id, a target or a lock holder show it escaped", async ({ emulator, dir }) => {
  // Written with YAML escapes, so the manifest itself is plain ASCII.
  writeFileSync(
    join(dir, "decom.yaml"),
    'version: 1\nresources:\n  - id: "a\\"b\\e[2K"\n  - id: "a\\"b\\e[2K"\n  - id: "p\\u202e"\nprotect:\n  resources: ["p\\u202e"]\n',
  );
  const manifest = await decom(["validate"], { cwd: dir });
  assert.is(manifest.code, 1);
  assertNoRawHidden(manifest, "validate");
  assert.match(manifest.stderr, String.raw`duplicate id "a\"b\u001b[2K"`);
  assert.match(manifest.stderr, String.raw`"p\u202e" is protected`);

  writeFileSync(join(dir, "decom.yaml"), "version: 1\nresources:\n  - select:\n      tags: [tmp]\n");
  const target = await decom(["plan", "--target", "t\u001b[31m"], { cwd: dir, endpoint: emulator.url });
  assert.is(target.code, 1);
  assertNoRawHidden(target, "--target");
  assert.match(target.stderr, String.raw`--target t\u001b[31m: not in the manifest`);

  assert.is((await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url })).code, 0);
  const saved = readJsonFile(join(dir, "plan.json"));
  saved.waves[0].batches[0].body.query.ids.push("evil\u001b[1A");
  writeFileSync(join(dir, "edited.json"), JSON.stringify(saved));
  const edited = await decom(["show", "edited.json"], { cwd: dir });
  assert.is(edited.code, 1);
  assertNoRawHidden(edited, "edited plan");
  assert.match(edited.stderr, String.raw`batch deletes resource "evil\u001b[1A", which no change plans to delete`);
  // Not JSON: the parser's own message quotes the text around the mistake, raw.
  writeFileSync(join(dir, "broken.json"), "x\u202e\u0085 not json");
  const broken = await decom(["show", "broken.json"], { cwd: dir });
  assert.is(broken.code, 1);
  assertNoRawHidden(broken, "broken file");
  assert.match(broken.stderr, String.raw`"x\u202e\u0085 not json" is not valid JSON`);

  const holder = {
    pid: 2 ** 22 + 1,
    host: "ci\u001b]0;x\u0007",
    time: "2026-11-29T10:00:00.000Z",
    command: "decom apply --target \u001b[2Jx",
  };
  writeFileSync(join(dir, "decom.state.json.lock"), JSON.stringify(holder));
  const locked = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(locked.code, 1);
  assertNoRawHidden(locked, "locked apply");
  assert.match(
    locked.stderr,
    String.raw`the state is locked by "decom apply --target \u001b[2Jx" (pid 4194305 on ci\u001b]0;x\u0007, since`,
  );
  const unlock = await decom(["force-unlock"], { cwd: dir });
  assertNoRawHidden(unlock, "force-unlock");
  assert.match(unlock.stdout + unlock.stderr, String.raw`"decom apply --target \u001b[2Jx"`);
});

test.run();
