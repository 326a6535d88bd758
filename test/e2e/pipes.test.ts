/**
 * decom as CI and `| jq` see it: a real child process whose output is a pipe.
 * A process that exits with output still queued for a pipe loses everything
 * past the pipe's 64 KiB buffer; a reader that goes away (EPIPE) must end the
 * run cleanly, releasing the lock.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { runDecom, spawnDecom } from "../helpers/child.js";
import { manifestYaml, workspace } from "../helpers/decom.js";
import { assertFileValid } from "../helpers/schemas.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite("e2e: output through pipes");
const fleet = devices("dev", 5000, "legacy");
const ids = fleet.map((d) => d.id);
/** Guarded, so that the plans here say nothing on stderr (a manifest without a guard is warned about). */
const guarded = manifestYaml(ids, [], "guard:\n  maxDeletes: 5000");
let emulator: Emulator;
let ws: { dir: string; remove: () => void };

test.before(async () => {
  emulator = await startEmulator({ seed: world(fleet) });
  ws = workspace({ "decom.yaml": guarded });
});
test.after(async () => {
  ws.remove();
  await emulator.close();
});

const env = () => ({ WAYLAY_GATEWAY_URL: emulator.url });

/** decom ARGS | cat, as CI logs and `| jq` read it. */
const throughPipe = (args: string[], cwd: string, environment: Record<string, string> = {}) =>
  runDecom(args, cwd, environment, { throughPipe: true });
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

test("plan through a pipe: every line, then the summary and where apply will archive", async () => {
  const result = await throughPipe(["plan", "--no-color"], ws.dir, env());
  assert.is(result.code, 0, result.stderr);
  assert.ok(result.stdout.endsWith("\n"), "the last line is whole");
  assert.is(lines(result.stdout).filter((l) => l.startsWith('  - resource "dev-')).length, 5000);
  assert.match(lines(result.stdout).at(-2) ?? "", /^Plan: 5,?000 to delete, 0 already absent, 0 to forget\.$/);
  assert.match(
    lines(result.stdout).at(-1) ?? "",
    /^Before each batch is sent, decom apply archives its documents to decom\.archive\.jsonl /,
  );
});

test("plan --json through a pipe: one parseable line per change, then the summary", async () => {
  const result = await throughPipe(["plan", "--json"], ws.dir, env());
  assert.is(result.code, 0, result.stderr);
  const objects = lines(result.stdout).map((l) => JSON.parse(l) as { type: string });
  assert.is(objects.length, 5001);
  assert.is(objects.filter((o) => o.type === "planned_change").length, 5000);
  assert.is(objects.at(-1)?.type, "plan_summary");
});

test("show --format json and --format markdown through a pipe: the whole document", async () => {
  // Small batches: apply --json then says more than a pipe holds, too.
  const saved = await runDecom(["plan", "--out", "plan.json", "--batch-size", "20"], ws.dir, env());
  assert.is(saved.code, 0, saved.stderr);
  const file = readJsonFile(join(ws.dir, "plan.json")) as unknown;
  const json = await throughPipe(["show", "plan.json", "--format", "json"], ws.dir);
  assert.is(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout), file, "the JSON shown is the plan saved");
  const markdown = await throughPipe(["show", "plan.json", "--format", "markdown"], ws.dir);
  assert.is(markdown.code, 0, markdown.stderr);
  assert.ok(markdown.stdout.length > 65_536 / 2, `${markdown.stdout.length} characters`);
  assert.ok(
    markdown.stdout.trimEnd().endsWith("</details>") || /decom apply plan\.json/.test(markdown.stdout.slice(-400)),
    markdown.stdout.slice(-400),
  );
  assert.is(
    (markdown.stdout.match(/<details>/g) ?? []).length,
    (markdown.stdout.match(/<\/details>/g) ?? []).length,
    "every fold is closed",
  );
});

test("apply --json through a pipe: every event line parses and the last is the summary", async () => {
  // The reader lags: what apply wrote past the pipe's 64 KiB is still queued in decom when apply is done.
  const result = await runDecom(["apply", "plan.json", "--json", "--parallelism", "16"], ws.dir, env(), {
    throughPipe: true,
    laggingReader: true,
  });
  assert.is(result.stderr, "", "no Node warning (16 batches followed at once once printed MaxListenersExceededWarning)");
  assert.is(result.code, 0, result.stderr);
  const objects = lines(result.stdout).map((l) => JSON.parse(l) as { type: string; deleted?: number });
  const summary = objects.at(-1);
  assert.is(summary?.type, "apply_summary");
  assert.is(summary?.deleted, 5000);
  assert.is(objects.filter((o) => o.type === "batch_finished").length, 250);
  assert.ok(result.stdout.length > 65_536, `${result.stdout.length} bytes`);
  assertFileValid("state", join(ws.dir, "decom.state.json"));
});

test.run();

const pipes = suite("e2e: a reader that goes away");

/** Spawns decom and closes one of its pipes after the first line there, as `| head -1` does. */
async function closeAfterFirstLine(args: string[], cwd: string, stream: "stdout" | "stderr", env: Record<string, string>) {
  const child = spawnDecom(args, cwd, env);
  const pipe = child.process[stream];
  if (!pipe) throw new Error(`no ${stream}`);
  pipe.on("data", (d: Buffer) => {
    if (d.includes(10)) pipe.destroy();
  });
  return child.done;
}

for (const [what, manifest] of [
  ["explicit ids", manifestYaml(ids)],
  // Listing a selector is cancelled part way: the run must still end through its own cleanup.
  ["a selector", "version: 1\nresources:\n  - select: { resourceTypeId: legacy }\n"],
] as const)
  pipes(`plan --debug 2>&1 >/dev/null | head -1, manifest with ${what}: the run ends, the lock is released`, async () => {
    await withEmulator({ seed: world(fleet) }, { "decom.yaml": manifest }, async ({ emulator: em, dir }) => {
      const result = await closeAfterFirstLine(["plan", "--debug"], dir, "stderr", { WAYLAY_GATEWAY_URL: em.url });
      assert.is(result.signal, null);
      assert.not.ok(result.stdout.includes("unexpected failure"), result.stdout);
      assert.ok(result.code === 0 || result.code === 130, `exit ${result.code}`);
      assert.not.ok(existsSync(join(dir, "decom.state.json.lock")), "the lock is released");
      assert.not.ok(existsSync(join(dir, "decom.state.json.journal")), "no journal left");
    });
  });

pipes("apply | head -1: no new batches, those in flight recorded, lock released, nothing lost", async () => {
  await withEmulator(
    { seed: world(fleet), timing: { startDelayMs: 10, perIdMs: 2 } },
    { "decom.yaml": manifestYaml(ids) },
    async ({ emulator: em, dir }) => {
      const planned = await runDecom(["plan", "--out", "plan.json"], dir, { WAYLAY_GATEWAY_URL: em.url });
      assert.is(planned.code, 0, planned.stderr);
      const result = await closeAfterFirstLine(["apply", "plan.json", "--parallelism", "1"], dir, "stdout", { WAYLAY_GATEWAY_URL: em.url });
      assert.is(result.signal, null);
      assert.not.match(result.stderr, "unexpected failure");
      assert.is(result.code, 130, result.stderr);
      assert.not.ok(existsSync(join(dir, "decom.state.json.lock")), "the lock is released");
      assert.not.ok(existsSync(join(dir, "decom.state.json.journal")), "every outcome is in the state");
      assertFileValid("state", join(dir, "decom.state.json"));
      const state = readJsonFile(join(dir, "decom.state.json")) as { resources: Record<string, { status: string }> };
      const deletedOnTenant = ids.filter((id) => !em.tenant.resources.has(id));
      assert.ok(deletedOnTenant.length > 0 && deletedOnTenant.length < 5000, `${deletedOnTenant.length} deleted: it stopped part way`);
      assert.equal(
        Object.keys(state.resources)
          .filter((id) => state.resources[id]?.status === "deleted")
          .sort(),
        deletedOnTenant.sort(),
        "the state records exactly what the tenant lost",
      );
    },
  );
});

pipes("apply --auto-approve | head -1: the reader left while the plan was shown, so nothing is sent", async () => {
  await withEmulator({ seed: world(fleet) }, { "decom.yaml": manifestYaml(ids) }, async ({ emulator: em, dir }) => {
    const result = await runDecom(
      ["apply", "--auto-approve", "--batch-size", "100"],
      dir,
      { WAYLAY_GATEWAY_URL: em.url },
      { throughPipe: true, reader: "head -1" },
    );
    assert.is(em.count("POST"), 0, "no batch sent");
    assert.is(result.code, 130, result.stderr);
    assert.match(result.stderr, "Apply cancelled by the interrupt. Nothing was sent.");
    assert.not.ok(existsSync(join(dir, "decom.state.json.lock")), "the lock is released");
    assert.is(em.tenant.resources.size, 5000);
  });
});

pipes(
  "apply --auto-approve --quiet | head -1: decom learns of the reader only when it next writes; no false interrupt after the work",
  async () => {
    await withEmulator(
      { seed: world(devices("dev", 300, "legacy")) },
      { "decom.yaml": manifestYaml(devices("dev", 300, "legacy").map((d) => d.id)) },
      async ({ emulator: em, dir }) => {
        const result = await runDecom(
          ["apply", "--auto-approve", "--quiet", "--batch-size", "50"],
          dir,
          { WAYLAY_GATEWAY_URL: em.url },
          { throughPipe: true, reader: "head -1" },
        );
        assert.is(result.code, 0, result.stderr);
        assert.is(em.tenant.resources.size, 0, "quiet writes nothing while it works: the apply ran to its end");
        assert.not.match(result.stderr, "Interrupt", "nothing was interrupted: the work was done when the reader was found gone");
        assert.not.ok(existsSync(join(dir, "decom.state.json.lock")), "the lock is released");
      },
    );
  },
);

pipes("plan > /dev/full: the view is lost, so the run fails, saying why", async () => {
  if (!existsSync("/dev/full")) return;
  await withEmulator({ seed: world(devices("dev", 3)) }, { "decom.yaml": manifestYaml(["dev-0001"]) }, async ({ emulator: em, dir }) => {
    const result = await runDecom(["plan"], dir, { WAYLAY_GATEWAY_URL: em.url }, { stdoutTo: "/dev/full" });
    assert.is(result.code, 1, result.stderr);
    assert.match(result.stderr, "error: standard output could not be written (ENOSPC)");
    assert.not.ok(existsSync(join(dir, "decom.state.json.lock")), "the lock is released");
  });
});

pipes("plan --json --debug 2>/dev/full: stdout stays JSON, every line of it", async () => {
  if (!existsSync("/dev/full")) return;
  await withEmulator({ seed: world(devices("dev", 3)) }, { "decom.yaml": manifestYaml(["dev-0001"]) }, async ({ emulator: em, dir }) => {
    const result = await runDecom(["plan", "--json", "--debug"], dir, { WAYLAY_GATEWAY_URL: em.url }, { stderrTo: "/dev/full" });
    const lines = result.stdout.split("\n").filter((l) => l !== "");
    assert.ok(lines.length > 0, "something on stdout");
    for (const l of lines) JSON.parse(l);
    assert.not.ok(existsSync(join(dir, "decom.state.json.lock")), "the lock is released");
  });
});

pipes("plan | head -2: quiet, exit 0", async () => {
  await withEmulator({ seed: world(fleet) }, { "decom.yaml": guarded }, async ({ emulator: em, dir }) => {
    const child = spawnDecom(["plan"], dir, { WAYLAY_GATEWAY_URL: em.url });
    let seen = "";
    child.process.stdout?.on("data", (d: Buffer) => {
      seen += d.toString();
      if (seen.split("\n").length > 2) child.process.stdout?.destroy();
    });
    const result = await child.done;
    assert.is(result.code, 0, result.stderr);
    assert.is(result.stderr, "", "a reader that stopped once decom was done is no news");
  });
});

pipes.run();
