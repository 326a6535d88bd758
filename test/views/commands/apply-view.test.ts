/**
 * The apply views, fed what the library really returns (a plan, its events and
 * outcome from the emulator) and every other way an apply can end.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { apply, plan, type ApplyEvent, type ApplyOutcome, type Plan } from "../../../src/index.js";
import { applyView } from "../../../src/views/commands/apply-view.js";
import type { Output } from "../../../src/views/output.js";
import { manifestYaml } from "../../helpers/decom.js";
import { withEmulator } from "../../helpers/emulator-suite.js";
import { assertValid } from "../../helpers/schemas.js";
import { devices, world } from "../../helpers/world.js";

const test = suite("views: apply");

function collected(): { out: Output; stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  return { out: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, stdout: () => stdout, stderr: () => stderr };
}

/** A real plan, the events of applying it, and its outcome. */
async function realApply(): Promise<{ planned: Plan; events: ApplyEvent[]; outcome: ApplyOutcome }> {
  return withEmulator(
    { seed: world(devices("dev", 3)) },
    { "decom.yaml": manifestYaml(["dev-0001", "dev-0002", "ghost"]) },
    async ({ emulator, dir }) => {
      const env = { WAYLAY_GATEWAY_URL: emulator.url };
      const planned = await plan({ cwd: dir, env });
      const events: ApplyEvent[] = [];
      const outcome = await apply({ cwd: dir, env, plan: planned, onEvent: (e) => events.push(e) });
      return { planned, events, outcome };
    },
  );
}

/** Once for the file: the emulator run is the slow part. */
const real = await realApply();
const recovered = { batches: 1, deleted: 2, absent: 0, failed: 1, inFlight: 0, notTaken: 0 };

test("the JSON view writes only schema-valid events lines on stdout, one type per call, whatever the outcome", () => {
  const { planned, events, outcome } = real;
  assert.is(outcome.status, "applied");
  const endings: ApplyOutcome[] = [
    outcome,
    { status: "halted", inFlight: 3, inFlightBatches: 1, statePath: "decom.state.json" },
    { status: "interrupted" },
    { status: "cancelled", plan: planned },
    { status: "blocked", plan: planned },
    { status: "no-changes", plan: planned },
    { status: "already-applied", plan: planned, appliedAt: "2026-12-01T09:30:05.123Z", failed: 2 },
    {
      ...(outcome as Extract<ApplyOutcome, { status: "applied" }>),
      continued: { started: "2026-12-01T09:30:05.123Z", deletions: 400, remaining: 120, failedBefore: 1 },
    },
  ];
  const { out, stdout } = collected();
  const view = applyView(out, { json: true, colour: true, tty: true, quiet: false });
  view.plan(planned);
  view.recovered(recovered);
  view.continuing({ started: "2026-12-01T09:30:05.123Z", deletions: 400, remaining: 120, failedBefore: 0 }, "plan.json");
  for (const event of events) view.event(event);
  view.close();
  for (const ending of endings) view.outcome(ending, "plan.json");

  const lines = stdout()
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as { type: string; status?: string });
  lines.forEach((line, index) => {
    assertValid("events", line, `line ${index + 1}`);
  });
  const types = lines.map((l) => l.type);
  assert.equal(types.filter((t) => t === "planned_change").length, planned.changes.length);
  assert.equal(types.slice(planned.changes.length), [
    "plan_summary",
    "recovered",
    "continuing",
    "wave_started",
    "batch_submitted",
    "batch_finished",
    "wave_finished",
    ...endings.map(() => "apply_summary"),
  ]);
  assert.equal(
    lines.slice(-endings.length).map((l) => l.status),
    ["complete", "halted", "interrupted", "cancelled", "blocked", "no-changes", "already-applied", "finished-with-failures"],
  );
  assert.not.match(stdout(), "\u001b[", "no colour in JSON, even on a terminal that has it");
});

test("both views say an interrupt and a stop on stderr, in the same words, never on stdout", () => {
  const said = (json: boolean) => {
    const { out, stdout, stderr } = collected();
    const view = applyView(out, { json, colour: false, tty: false, quiet: false });
    view.stopping(false);
    view.stopping(true);
    view.outcome({ status: "interrupted" }, "plan.json");
    view.outcome({ status: "halted", inFlight: 3, inFlightBatches: 1, statePath: "decom.state.json" }, "plan.json");
    return { stdout: stdout(), stderr: stderr() };
  };
  const human = said(false);
  const json = said(true);
  assert.is(human.stderr, json.stderr);
  assert.match(human.stderr, "Interrupt: cancelling the apply before anything is sent.");
  assert.match(human.stderr, "Interrupt: submitting no more batches");
  assert.match(human.stderr, "Apply cancelled by the interrupt. Nothing was sent.");
  assert.match(human.stderr, "Stopped at once. 1 batch (3 ids) still in flight is recorded in decom.state.json");
  assert.is(human.stdout, "");
  assert.equal(
    json.stdout
      .trimEnd()
      .split("\n")
      .map((l) => (JSON.parse(l) as { status: string }).status),
    ["interrupted", "halted"],
  );
});

test("the human view says 'no changes' for a saved plan only: apply's own plan already said so", () => {
  const noChanges = (saved: string | undefined) => {
    const { out, stdout } = collected();
    applyView(out, { json: false, colour: false, tty: false, quiet: false }).outcome({ status: "no-changes", plan: real.planned }, saved);
    return stdout();
  };
  assert.is(noChanges("plan.json"), "No changes in the plan. Nothing to apply.\n");
  assert.is(noChanges(undefined), "");
});

test("the human view of an applied plan: failures on stderr, the summary and the state on stdout", () => {
  const { outcome } = real;
  const { out, stdout, stderr } = collected();
  applyView(out, { json: false, colour: false, tty: false, quiet: true }).outcome(outcome, "plan.json");
  assert.is(
    stdout(),
    "Apply complete: 2 deleted, 1 absent, 0 failed.\n" +
      "Archived 2 documents to decom.archive.jsonl, each before any batch deleting it was sent (decom restore brings them back).\n" +
      "State written to decom.state.json.\n",
  );
  assert.is(stderr(), "");
});

test("ids not submitted: a saved plan is finished by applying it again, with its flags; apply's own plan by planning again", () => {
  const { result } = real.outcome as Extract<ApplyOutcome, { status: "applied" }>;
  const interrupted = {
    ...(real.outcome as Extract<ApplyOutcome, { status: "applied" }>),
    interrupted: true,
    result: { ...result, notSubmitted: 40 },
  };
  const said = (rerun: string | undefined) => {
    const { out, stdout } = collected();
    applyView(out, { json: false, colour: false, tty: false, quiet: false }).outcome(interrupted, "p.json", rerun);
    return stdout();
  };
  assert.match(said("decom apply p.json -f b.yaml"), "40 ids not submitted: run decom apply p.json -f b.yaml again to finish.");
  assert.match(said(undefined), "40 ids not submitted: plan again to finish.");
});

test.run();
