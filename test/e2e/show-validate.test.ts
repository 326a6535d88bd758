/** `decom show` reads back plans and states; `decom validate` checks without the network. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: show and validate");

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({ seed: world(devices("dev", 3)) });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({
    "decom.yaml": manifestYaml(["dev-0001", "dev-0002", "dev-0003", "ghost"], ["device"]),
  }));
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

test("show prints a saved plan as plan printed it, less the 'Saved' note; --format json prints the file byte for byte", async ({
  emulator,
  dir,
}) => {
  const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
  const shown = await decom(["show", "plan.json"], { cwd: dir });
  assert.is(shown.code, 0, shown.stderr);
  assert.ok(plan.stdout.startsWith(shown.stdout), "same view as plan, without the 'Saved' note");
  assert.match(shown.stdout, "Plan: 4 to delete, 1 already absent, 0 to forget.");
  const json = await decom(["show", "plan.json", "--format", "json"], { cwd: dir });
  assert.is(json.stdout, readFileSync(join(dir, "plan.json"), "utf8"));
});

test("show prints a state file: each id with its status, and the totals", async ({ emulator, dir }) => {
  await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
  const shown = await decom(["show", "decom.state.json"], { cwd: dir });
  assert.is(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /"dev-0001" {2}deleted/);
  assert.match(shown.stdout, /"ghost" {2}absent/);
  assert.match(shown.stdout, "4 deleted, 1 absent, 0 failed.");
});

test("show refuses an unknown format and a file that is neither plan nor state", async ({ dir }) => {
  assert.match(
    (await decom(["show", "decom.yaml", "--format", "xml"], { cwd: dir })).stderr,
    "--format must be one of text, markdown, json",
  );
  writeFileSync(join(dir, "x.json"), '{"a": 1}');
  const result = await decom(["show", "x.json"], { cwd: dir });
  assert.is(result.code, 1);
  assert.match(result.stderr, "x.json is neither a plan nor a state file");
});

test("validate of a good manifest says it is valid with its counts, and sends no request", async ({ emulator, dir }) => {
  const ok = await decom(["validate"], { cwd: dir, endpoint: emulator.url });
  assert.is(ok.code, 0, ok.stderr);
  assert.is(ok.stdout, "decom.yaml is valid: 4 resources, 0 selectors, 1 resource type.\n");
  assert.is(emulator.requests.length, 0);
});

test("plan is coloured on a terminal, and not under NO_COLOR, with --no-color, or in a pipe", async ({ emulator, dir }) => {
  const endpoint = emulator.url;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this test looks for
  const ansi = /\u001b\[\d+m/;
  // The plan is shown each time, so "no colour" cannot pass on an empty output.
  const shown = async (args: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) => {
    const result = await decom(args, { cwd: dir, endpoint, ...options });
    assert.is(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, "to delete");
    return result.stdout;
  };
  assert.match(await shown(["plan"], { tty: true }), ansi);
  assert.not.match(await shown(["plan"], { tty: true, env: { NO_COLOR: "1" } }), ansi);
  assert.not.match(await shown(["plan", "--no-color"], { tty: true }), ansi);
  assert.not.match(await shown(["plan"]), ansi);
});

test.run();
