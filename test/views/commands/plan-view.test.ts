/** The plan views, fed real plans from the emulator: the --out sentence, and the interrupt in each format. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { plan, type Plan } from "../../../src/index.js";
import { planView } from "../../../src/views/commands/plan-view.js";
import type { Output } from "../../../src/views/output.js";
import { manifestYaml } from "../../helpers/decom.js";
import { withEmulator } from "../../helpers/emulator-suite.js";
import { assertValid } from "../../helpers/schemas.js";
import { devices, world } from "../../helpers/world.js";

const test = suite("views: plan");

function collected(): { out: Output; stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  return { out: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, stdout: () => stdout, stderr: () => stderr };
}

/** Two deletions: under guard.maxDeletes 1 the same manifest is blocked. */
async function plans(): Promise<{ open: Plan; blocked: Plan }> {
  const ids = ["dev-0001", "dev-0002"];
  const open = await withEmulator({ seed: world(devices("dev", 2)) }, { "decom.yaml": manifestYaml(ids) }, ({ emulator, dir }) =>
    plan({ cwd: dir, env: { WAYLAY_GATEWAY_URL: emulator.url } }),
  );
  const blocked = await withEmulator(
    { seed: world(devices("dev", 2)) },
    { "decom.yaml": manifestYaml(ids, [], "guard:\n  maxDeletes: 1") },
    ({ emulator, dir }) => plan({ cwd: dir, env: { WAYLAY_GATEWAY_URL: emulator.url } }),
  );
  return { open, blocked };
}

const real = await plans();

test("the human view ends a saved plan with how to apply it, and a blocked one with why it was saved anyway", () => {
  const shown = (p: Plan, saved: string | undefined) => {
    const { out, stdout } = collected();
    planView(out, { json: false, colour: false }).plan(p, saved, []);
    return stdout();
  };
  assert.ok(
    shown(real.open, "plan.json").endsWith("\n\nSaved the plan to plan.json. Apply exactly this plan with: decom apply plan.json\n"),
  );
  assert.ok(
    shown(real.blocked, "plan.json").endsWith(
      "\n\nSaved the blocked plan to plan.json, so reviewers can see why; decom apply refuses it.\n",
    ),
  );
  assert.not.match(shown(real.open, undefined), "Saved");
});

test("the JSON view: schema-valid lines, the summary naming the file saved", () => {
  const { out, stdout, stderr } = collected();
  planView(out, { json: true, colour: true }).plan(real.blocked, "plan.json", []);
  const lines = stdout()
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string; saved?: string; blocked?: boolean });
  lines.forEach((line, i) => {
    assertValid("events", line, `line ${i + 1}`);
  });
  assert.equal(lines.at(-1), { ...lines.at(-1), type: "plan_summary", saved: "plan.json", blocked: true });
  assert.is(stderr(), "");
});

test("warnings: on stderr after the plan's totals and before the command that applies it; with --json, lines after the summary", () => {
  const order: string[] = [];
  const out: Output = { stdout: (t) => order.push(`out ${t}`), stderr: (t) => order.push(`err ${t}`) };
  planView(out, { json: false, colour: false }).plan(real.open, "plan.json", [{ code: "no-guard", manifest: "decom.yaml" }]);
  const totals = order.findIndex((t) => t.startsWith("out \nPlan:"));
  const warning = order.findIndex((t) => t.startsWith("err warning: decom.yaml has no guard.maxDeletes"));
  const saved = order.findIndex((t) => t.includes("Saved the plan to plan.json"));
  assert.ok(totals >= 0 && totals < warning && warning < saved, JSON.stringify(order.map((t) => t.slice(0, 24))));

  const json = collected();
  planView(json.out, { json: true, colour: false }).plan(real.open, "plan.json", [{ code: "no-guard", manifest: "decom.yaml" }]);
  const lines = json
    .stdout()
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string; severity?: string; code?: string });
  for (const line of lines) assertValid("events", line);
  assert.equal(
    lines.slice(-2).map((l) => [l.type, l.severity, l.code]),
    [
      ["plan_summary", undefined, undefined],
      ["diagnostic", "warning", "manifest.no-guard"],
    ],
  );
  assert.is(json.stderr(), "");
});

test("an interrupted plan: one line on stderr in the human view, a schema-valid diagnostic line on stdout in the JSON view", () => {
  const human = collected();
  planView(human.out, { json: false, colour: false }).interrupted();
  assert.is(human.stderr(), "Interrupted: nothing was planned. Anything recovered so far is in the state.\n");
  assert.is(human.stdout(), "");

  const json = collected();
  planView(json.out, { json: true, colour: false }).interrupted();
  const line = JSON.parse(json.stdout()) as Record<string, unknown>;
  assertValid("events", line);
  assert.equal(
    [line.type, line.code, line.summary],
    ["diagnostic", "interrupted", "Interrupted: nothing was planned. Anything recovered so far is in the state."],
  );
  assert.is(json.stderr(), "");
});

test.run();
