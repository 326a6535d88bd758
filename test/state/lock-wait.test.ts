/** Waiting for a held lock (--lock-timeout), on a fake clock: how often it looks, what it says, when it gives up. */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DecomError } from "../../src/diagnostics.js";
import { waitForLock, type WaitOptions } from "../../src/state/lock.js";
import { workspace } from "../helpers/decom.js";

const test = suite("state: waiting for the lock");

const HOLDER = { pid: process.pid, host: hostname(), time: "2026-11-29T10:00:00.000Z", command: "decom apply plan.json" };
const HELD_BY = `"decom apply plan.json" (pid ${process.pid} on ${hostname()}, since 2026-11-29T10:00:00.000Z)`;

/** A clock that moves only when slept on, and a record of every sleep; `during(n)` runs as the n-th sleep begins. */
function fakeTime(during: Record<number, () => void> = {}) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const notices: string[] = [];
  const options: Required<Pick<WaitOptions, "clock" | "sleep" | "onWait">> = {
    clock: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      during[sleeps.length]?.();
      now += ms;
    },
    onWait: (notice) => notices.push(notice),
  };
  return { options, sleeps, notices };
}

function withLock(run: (lock: string) => Promise<void>, content: string = JSON.stringify(HOLDER)) {
  const { dir, remove } = workspace({ "decom.state.json.lock": content });
  return run(join(dir, "decom.state.json.lock")).finally(remove);
}

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    assert.instance(err, DecomError);
    assert.is((err as DecomError).diagnostics[0]?.code, "lock.held");
    return (err as DecomError).diagnostics[0]!.summary;
  }
  assert.unreachable("the lock was taken although it is held");
  return "";
}

test("no timeout (the default): a held lock fails at once, as before, without a look back or a notice", () =>
  withLock(async (lock) => {
    const time = fakeTime();
    const summary = await refusal(waitForLock(lock, "decom.state.json.lock", "decom plan", time.options));
    assert.is(
      summary,
      `the state is locked by ${HELD_BY} (decom.state.json.lock); wait for it to finish. ` +
        "If it is gone, remove the lock with: decom force-unlock",
    );
    assert.equal(time.sleeps, []);
    assert.equal(time.notices, []);
  }));

test("held throughout: says once who holds it, looks every 250 ms up to the timeout, then fails naming the holder and the wait", () =>
  withLock(async (lock) => {
    const time = fakeTime();
    const summary = await refusal(waitForLock(lock, "decom.state.json.lock", "decom plan", { ...time.options, timeoutMs: 1000 }));
    assert.equal(time.sleeps, [250, 250, 250, 250]);
    assert.equal(time.notices, [`the state is locked by ${HELD_BY} (decom.state.json.lock); waiting up to 1s for it to finish`]);
    assert.is(
      summary,
      `the state is still locked by ${HELD_BY} (decom.state.json.lock) after waiting 1s; ` +
        "wait for it to finish, or give a longer --lock-timeout. If it is gone, remove the lock with: decom force-unlock",
    );
    assert.equal(JSON.parse(readFileSync(lock, "utf8")), HOLDER, "the holder's lock is left as it was");
  }));

test("the last look comes at the timeout, not a whole interval past it; a timeout under a second is said in ms", () =>
  withLock(async (lock) => {
    const time = fakeTime();
    const summary = await refusal(waitForLock(lock, "x.lock", "decom plan", { ...time.options, timeoutMs: 600 }));
    assert.equal(time.sleeps, [250, 250, 100]);
    assert.match(summary, "after waiting 600ms;");
    assert.match(time.notices[0]!, "waiting up to 600ms for it");
  }));

test("released during the wait: taken at the next look, and this run becomes the holder", () =>
  withLock(async (lock) => {
    const time = fakeTime({ 3: () => rmSync(lock) });
    const release = await waitForLock(lock, "decom.state.json.lock", "decom plan", { ...time.options, timeoutMs: 60_000 });
    assert.type(release, "function");
    assert.equal(time.sleeps, [250, 250, 250]);
    assert.is(time.notices.length, 1);
    const taken = JSON.parse(readFileSync(lock, "utf8"));
    assert.is(taken.command, "decom plan");
    assert.is(taken.pid, process.pid);
    assert.is(release!(), undefined);
  }));

test("taken over by another run during the wait: the refusal names the holder at the end", () =>
  withLock(async (lock) => {
    const next = { ...HOLDER, command: "decom apply", time: "2026-11-29T10:05:00.000Z" };
    const time = fakeTime({ 2: () => writeFileSync(lock, JSON.stringify(next)) });
    const summary = await refusal(waitForLock(lock, "x.lock", "decom plan", { ...time.options, timeoutMs: 1000 }));
    assert.match(
      summary,
      `the state is still locked by "decom apply" (pid ${process.pid} on ${hostname()}, since 2026-11-29T10:05:00.000Z)`,
    );
    assert.is(time.notices.length, 1, "said once");
  }));

test("interrupted during the wait: stops at once, takes nothing, and the holder's lock is untouched", () =>
  withLock(async (lock) => {
    const stop = new AbortController();
    const time = fakeTime({ 2: () => stop.abort() });
    const taken = await waitForLock(lock, "x.lock", "decom plan", { ...time.options, timeoutMs: 60_000, signal: stop.signal });
    assert.is(taken, undefined);
    assert.equal(time.sleeps, [250, 250]);
    assert.equal(JSON.parse(readFileSync(lock, "utf8")), HOLDER);
  }));

test("a lock no wait will free (its holder is gone, or decom did not write it) fails at once, timeout or not", async () => {
  const deadPid = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
  await withLock(
    async (lock) => {
      const time = fakeTime();
      const summary = await refusal(waitForLock(lock, "x.lock", "decom plan", { ...time.options, timeoutMs: 60_000 }));
      assert.match(summary, `x.lock is stale: it was taken by "decom apply plan.json" (pid ${deadPid}`);
      assert.equal([time.sleeps, time.notices], [[], []]);
    },
    JSON.stringify({ ...HOLDER, pid: deadPid }),
  );
  await withLock(async (lock) => {
    const time = fakeTime();
    const summary = await refusal(waitForLock(lock, "x.lock", "decom plan", { ...time.options, timeoutMs: 60_000 }));
    assert.match(summary, "x.lock is not a lock decom wrote (it is not JSON)");
    assert.equal([time.sleeps, time.notices], [[], []]);
  }, "oops");
});

test("a holder on another machine cannot be checked from here: it is waited for", () =>
  withLock(
    async (lock) => {
      const time = fakeTime({ 1: () => rmSync(lock) });
      assert.type(await waitForLock(lock, "x.lock", "decom plan", { ...time.options, timeoutMs: 1000 }), "function");
      assert.match(time.notices[0]!, "(pid 1 on ci-runner-7, since");
    },
    JSON.stringify({ ...HOLDER, pid: 1, host: "ci-runner-7" }),
  ));

test.run();
