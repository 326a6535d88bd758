/** `--lock-timeout`: waiting for another decom's lock, as real processes against the emulator. */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DecomError, plan, type Diagnostic } from "../../src/index.js";
import { spawnDecom, waitFor } from "../helpers/child.js";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { inTerminal } from "../helpers/terminal.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: --lock-timeout");
const fleet = devices("dev", 5);
const ids = fleet.map((d) => d.id);
const lockOf = (dir: string) => join(dir, "decom.state.json.lock");

/** A lock held by this test's own process: alive, on this machine, so never stale. */
const LOCK = JSON.stringify({ pid: process.pid, host: hostname(), time: "2026-11-29T10:00:00.000Z", command: "decom apply plan.json" });
const HELD_BY = `"decom apply plan.json" (pid ${process.pid} on ${hostname()}, since 2026-11-29T10:00:00.000Z)`;
const occurrences = (text: string, part: string) => text.split(part).length - 1;

test("held for the whole wait: plan says once who holds it, fails after about the timeout naming the holder, sends nothing", async () => {
  await withEmulator(
    { seed: world(fleet) },
    { "decom.yaml": manifestYaml(ids), "decom.state.json.lock": LOCK },
    async ({ emulator, dir }) => {
      const started = Date.now();
      const result = await spawnDecom(["plan", "--lock-timeout", "1s"], dir, { WAYLAY_GATEWAY_URL: emulator.url }).done;
      const took = Date.now() - started;
      assert.is(result.code, 1, result.stderr);
      assert.ok(took >= 1000, `gave up after ${took} ms, before the timeout`);
      assert.is(
        result.stderr,
        `warning: the state is locked by ${HELD_BY} (decom.state.json.lock); waiting up to 1s for it to finish\n` +
          `error: the state is still locked by ${HELD_BY} (decom.state.json.lock) after waiting 1s; ` +
          "wait for it to finish, or give a longer --lock-timeout. If it is gone, remove the lock with: decom force-unlock\n",
      );
      assert.is(result.stdout, "");
      assert.is(emulator.requests.length, 0, "nothing sent");
      assert.is(readFileSync(lockOf(dir), "utf8"), LOCK, "the holder's lock is untouched");
      assert.not.ok(existsSync(join(dir, "decom.state.json")), "no state written");
    },
  );
});

test("released during the wait: a plan waiting on an apply at its question goes ahead once the apply is answered 'no'", async () => {
  await withEmulator({ seed: world(fleet) }, { "decom.yaml": manifestYaml(ids) }, async ({ emulator, dir }) => {
    const holder = inTerminal(["apply", "--no-color"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
    await waitFor(() => holder.screen().includes("Enter a value:"), 15_000, "the apply's question");
    assert.ok(existsSync(lockOf(dir)), "the apply holds the lock at its question");
    const sentByApply = emulator.requests.length;

    const waiting = spawnDecom(["plan", "--lock-timeout", "60s"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
    await waitFor(() => waiting.output().stderr.includes("waiting up to 1m"), 15_000, "the plan's notice");
    assert.match(waiting.output().stderr, `warning: the state is locked by "decom apply" (pid `);
    await new Promise((r) => setTimeout(r, 600));
    assert.is(emulator.requests.length, sentByApply, "the waiting plan sends nothing");

    holder.type("no\r");
    assert.is(await holder.done, 1, holder.screen());
    const result = await waiting.done;
    assert.is(result.code, 0, result.stderr);
    assert.is(occurrences(result.stderr, "waiting up to"), 1, "the notice is said once");
    assert.match(result.stdout, "Plan: 5 to delete");
    assert.ok(emulator.requests.length > sentByApply, "the plan asked the tenant once it held the lock");
    assert.not.ok(existsSync(lockOf(dir)), "released after the plan");
  });
});

test("Ctrl-C while waiting: plan and apply stop at once, exit 130, nothing sent, the holder's lock untouched", async () => {
  await withEmulator(
    { seed: world(fleet) },
    { "decom.yaml": manifestYaml(ids), "decom.state.json.lock": LOCK },
    async ({ emulator, dir }) => {
      const said = { plan: "Interrupted: nothing was planned.", apply: "Apply cancelled by the interrupt. Nothing was sent." };
      for (const command of ["plan", "apply"] as const) {
        const child = spawnDecom([command, ...(command === "apply" ? ["--auto-approve"] : []), "--lock-timeout", "60s"], dir, {
          WAYLAY_GATEWAY_URL: emulator.url,
        });
        await waitFor(() => child.output().stderr.includes("waiting up to 1m"), 15_000, `${command}'s notice`);
        const started = Date.now();
        child.process.kill("SIGINT");
        const result = await child.done;
        assert.ok(Date.now() - started < 2000, `${command} stopped waiting at once`);
        assert.is(result.code, 130, result.stderr);
        assert.match(result.stderr, said[command]);
      }
      assert.is(emulator.requests.length, 0);
      assert.is(readFileSync(lockOf(dir), "utf8"), LOCK);
      assert.not.ok(existsSync(join(dir, "decom.state.json")), "no state written");
    },
  );
});

test("--lock-timeout 0 and 0s fail at once, as without the flag; a bad value is refused before anything else", async () => {
  await withEmulator(
    { seed: world(fleet) },
    { "decom.yaml": manifestYaml(ids), "decom.state.json.lock": LOCK },
    async ({ emulator, dir }) => {
      for (const zero of ["0", "0s", "0ms"]) {
        const started = Date.now();
        const result = await decom(["plan", "--lock-timeout", zero], { cwd: dir, endpoint: emulator.url });
        assert.ok(Date.now() - started < 1000, `--lock-timeout ${zero} waited`);
        assert.is(result.code, 1);
        assert.is(
          result.stderr,
          `error: the state is locked by ${HELD_BY} (decom.state.json.lock); wait for it to finish. ` +
            "If it is gone, remove the lock with: decom force-unlock\n",
        );
      }
      const refusals: [string[], string][] = [
        [["plan", "--lock-timeout", "5"], 'decom plan: --lock-timeout needs a unit: --lock-timeout 5s (ms, s, m or h), got "5"'],
        [["apply", "--lock-timeout=soon"], 'decom apply: --lock-timeout must be a duration such as 30s, 500ms, 2m or 1h, got "soon"'],
        [["apply", "--lock-timeout", "1000h"], 'decom apply: --lock-timeout must be at most 596h, got "1000h"'],
        [["plan", "--lock-timeout"], "decom plan: --lock-timeout needs a duration (ms, s, m or h): --lock-timeout 5m"],
      ];
      for (const [args, message] of refusals) {
        const result = await decom(args, { cwd: dir, endpoint: emulator.url });
        assert.is([result.code, result.stderr].join(" "), `1 error: ${message}\n`, args.join(" "));
      }
      assert.is(emulator.requests.length, 0);
    },
  );
});

test("the library: plan({ lockTimeoutMs }) waits, warns once through onWarning, and plans once the lock is free", async () => {
  await withEmulator(
    { seed: world(fleet) },
    { "decom.yaml": manifestYaml(ids), "decom.state.json.lock": LOCK },
    async ({ emulator, dir }) => {
      const env = { WAYLAY_GATEWAY_URL: emulator.url };
      const warnings: Diagnostic[] = [];
      const planned = plan({ cwd: dir, env, lockTimeoutMs: 60_000, onWarning: (w) => warnings.push(w) });
      await waitFor(() => warnings.length > 0, 15_000, "the warning");
      assert.equal(
        warnings.map((w) => [w.code, w.summary]),
        [["lock.waiting", `the state is locked by ${HELD_BY} (decom.state.json.lock); waiting up to 1m for it to finish`]],
      );
      assert.is(emulator.requests.length, 0);
      rmSync(lockOf(dir));
      assert.is((await planned).changes.length, 5);
      assert.is(warnings.length, 1);
      const refused = await plan({ cwd: dir, env, lockTimeoutMs: -1 }).catch((e: unknown) => e);
      assert.instance(refused, DecomError);
      assert.is((refused as DecomError).diagnostics[0]?.summary, "lockTimeoutMs must be a number of milliseconds from 0, got -1");
    },
  );
});

test.run();
