/**
 * Warnings at plan time, over the emulator: an explicit id the tenant does not
 * hold and the state never recorded (a typo?), named with its manifest line;
 * and a manifest with no guard.maxDeletes. Neither blocks the plan.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { decom } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { assertValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: plan warnings");

const GUARD = "guard:\n  maxDeletes: 100\n";
const NOT_FOUND = "not found on the tenant, and not in the state: a typo? It is planned as already absent";
const seed = { seed: world(devices("dev", 3), ["legacy"]) };

function jsonLines(stdout: string): Record<string, unknown>[] {
  const out = stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const line of out) assertValid("events", line, `--json line ${JSON.stringify(line)}`);
  return out;
}

test("a typo'd id: plan and apply warn with its manifest line; once the state records it absent, no warning", async () => {
  const manifest = [
    "version: 1",
    "resources:",
    "  - id: dev-0001",
    "  - id: dev-00002", // line 4: a typo of dev-0002
    "resourceTypes:",
    "  - id: legacy",
    "  - id: legacy-thermostta", // line 7
    GUARD,
  ].join("\n");
  await withEmulator(seed, { "decom.yaml": manifest }, async ({ emulator, dir }) => {
    const run = (...args: string[]) => decom(args, { cwd: dir, endpoint: emulator.url });
    const expected =
      `warning: decom.yaml:4:9: resource "dev-00002" ${NOT_FOUND}\n` +
      `warning: decom.yaml:7:9: resourceType "legacy-thermostta" ${NOT_FOUND}\n`;

    const plan = await run("plan");
    assert.is(plan.code, 0, plan.stderr);
    assert.is(plan.stderr, expected);
    assert.match(plan.stdout, /= resource "dev-00002"\s+not found on the tenant/);
    assert.match(plan.stdout, /Plan: 2 to delete, 2 already absent, 0 to forget\./);

    // apply plans itself: the same warnings, after the plan and before going ahead.
    const apply = await run("apply", "--auto-approve");
    assert.is(apply.code, 0, apply.stderr);
    assert.is(apply.stderr, expected);

    // The state now records both as absent: they were seen, so they are no typo worth repeating.
    const again = await run("plan", "--detailed-exitcode");
    assert.is(again.code, 0, again.stderr);
    assert.is(again.stderr, "");
  });
});

test("an id the state recorded as deleted, named again and still gone, gets no warning; a new typo beside it does", async () => {
  await withEmulator(seed, { "decom.yaml": `version: 1\nresources:\n  - id: dev-0001\n${GUARD}` }, async ({ emulator, dir }) => {
    const run = (...args: string[]) => decom(args, { cwd: dir, endpoint: emulator.url });
    assert.is((await run("apply", "--auto-approve")).code, 0);
    writeFileSync(join(dir, "decom.yaml"), `version: 1\nresources:\n  - id: dev-0001\n  - id: dev-0003x\n${GUARD}`);
    const plan = await run("plan");
    assert.is(plan.code, 0, plan.stderr);
    assert.is(plan.stderr, `warning: decom.yaml:4:9: resource "dev-0003x" ${NOT_FOUND}\n`);
  });
});

test("thousands of ids not found: the first 10 in manifest order, then one line with how many more", async () => {
  const ghosts = Array.from({ length: 2500 }, (_, i) => `ghost-${String(i + 1).padStart(4, "0")}`);
  const manifest = `version: 1\n${GUARD}resources:\n${ghosts.map((id) => `  - id: ${id}\n`).join("")}`;
  await withEmulator(seed, { "decom.yaml": manifest }, async ({ emulator, dir }) => {
    const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stderr);
    const lines = plan.stderr.trimEnd().split("\n");
    assert.is(lines.length, 11);
    // GUARD takes lines 2-3, `resources:` line 4: ghost-0001 is on line 5.
    assert.is(lines[0], `warning: decom.yaml:5:9: resource "ghost-0001" ${NOT_FOUND}`);
    assert.is(lines[9], `warning: decom.yaml:14:9: resource "ghost-0010" ${NOT_FOUND}`);
    assert.is(
      lines[10],
      "warning: … and 2,490 more ids named in decom.yaml not found on the tenant, and not in the state " +
        "(the plan lists them all, as already absent)",
    );
  });
});

const NO_GUARD =
  "warning: retire.yaml has no guard.maxDeletes: nothing limits how many deletions one plan may make; " +
  'add "guard: {maxDeletes: N}" to it, N the most one apply should delete\n';

test("no guard: plan, apply and validate warn naming guard.maxDeletes; apply of a saved plan does not repeat it", async () => {
  await withEmulator(seed, { "retire.yaml": "version: 1\nresources:\n  - id: dev-0001\n" }, async ({ emulator, dir }) => {
    const run = (...args: string[]) => decom([...args, "-f", "retire.yaml"], { cwd: dir, endpoint: emulator.url });
    const validate = await run("validate");
    assert.is(validate.code, 0, validate.stderr);
    assert.is(validate.stderr, NO_GUARD);
    assert.match(validate.stdout, /retire\.yaml is valid/);

    const plan = await run("plan", "--out", "plan.json");
    assert.is(plan.code, 0, plan.stderr);
    assert.is(plan.stderr, NO_GUARD);

    // Said when the plan was made and reviewed; the saved plan's apply is quiet about it.
    const saved = await run("apply", "plan.json");
    assert.is(saved.code, 0, saved.stderr);
    assert.is(saved.stderr, "");

    const again = await run("apply", "--auto-approve");
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, /No changes\./);
    assert.is(again.stderr, NO_GUARD, "said on every plan, changes or not: it is about the manifest");
  });
});

test("--json: each warning is a diagnostic line on stdout (severity warning, the typo with its source), none on stderr", async () => {
  const manifest = "version: 1\nresources:\n  - id: dev-0001\n  - id: dev-00002\n";
  await withEmulator(seed, { "decom.yaml": manifest }, async ({ emulator, dir }) => {
    for (const args of [
      ["plan", "--json"],
      ["apply", "--json", "--auto-approve"],
    ]) {
      const result = await decom(args, { cwd: dir, endpoint: emulator.url });
      assert.is(result.code, 0, result.stderr);
      assert.is(result.stderr, "", args.join(" "));
      const out = jsonLines(result.stdout);
      const diagnostics = out.filter((l) => l.type === "diagnostic").map(({ timestamp: _t, ...rest }) => rest);
      assert.equal(
        diagnostics,
        [
          {
            type: "diagnostic",
            severity: "warning",
            code: "plan.not-found",
            summary: `resource "dev-00002" ${NOT_FOUND}`,
            source: { file: "decom.yaml", line: 4, column: 9 },
          },
          {
            type: "diagnostic",
            severity: "warning",
            code: "manifest.no-guard",
            summary:
              "decom.yaml has no guard.maxDeletes: nothing limits how many deletions one plan may make; " +
              'add "guard: {maxDeletes: N}" to it, N the most one apply should delete',
          },
        ],
        args.join(" "),
      );
      // After the plan's lines: the summary first, then what is worth saying about it.
      const types = out.map((l) => l.type);
      assert.ok(types.indexOf("plan_summary") < types.indexOf("diagnostic"), args.join(" "));
      if (args[0] === "apply") assert.ok(types.lastIndexOf("diagnostic") < types.indexOf("wave_started"), "before any batch");
    }
  });
});

test.run();
