/** The poll pacer's arithmetic, on times given to it (no clock): when it expects a batch to be done. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PollPacer } from "../../src/apply/poll-pacer.js";

const test = suite("apply: poll pacer");
const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse("2026-01-01T00:00:00Z");

test("before anything is learned, the first batch in flight is polled after the initial delay and the others wait their turn", () => {
  const pacer = new PollPacer(20, 5000, 200);
  const batches = [0, 1, 2].map((i) => pacer.track(500, T0 + i));
  assert.ok(pacer.guessing);
  assert.equal(
    batches.map((b) => pacer.firstDelay(b, T0 + 2)),
    [200, 400, 600],
  );
});

test("a service that takes batches in turn: four accepted together are expected one service time after another", () => {
  const pacer = new PollPacer(20, 5000, 200);
  // Each batch takes 100 ms of service; all four are queued at T0 and accepted at T0.
  const batches = [0, 1, 2, 3].map(() => pacer.track(500, T0));
  pacer.learn(batches[0]!, iso(T0), iso(T0 + 100), T0 + 120);
  pacer.done(batches[0]!);
  assert.not.ok(pacer.guessing);
  const now = T0 + 120;
  const delays = batches.slice(1).map((b) => pacer.firstDelay(b, now));
  // Expected at 200, 300, 400 (plus a 5% margin of a service time), seen from T0 + 120.
  assert.equal(delays, [85, 185, 285]);
});

test("a service that runs batches side by side: once the chain was wrong, a batch is expected its own time after acceptance", () => {
  const pacer = new PollPacer(20, 5000, 200);
  const [a, b, c, d] = [0, 1, 2, 3].map(() => pacer.track(500, T0));
  // All four end together, 100 ms after they were queued.
  pacer.learn(a!, iso(T0), iso(T0 + 100), T0 + 110);
  pacer.done(a!);
  pacer.learn(b!, iso(T0), iso(T0 + 100), T0 + 110);
  pacer.done(b!);
  pacer.learn(c!, iso(T0), iso(T0 + 100), T0 + 110);
  pacer.done(c!);
  pacer.learn(d!, iso(T0), iso(T0 + 100), T0 + 110);
  pacer.done(d!);
  const next = [0, 1, 2, 3].map(() => pacer.track(500, T0 + 200));
  assert.equal(
    next.map((n) => pacer.firstDelay(n, T0 + 200)),
    [105, 105, 105, 105],
  );
});

test("a batch still running after its first poll is polled sooner, then backing off", () => {
  const pacer = new PollPacer(20, 5000, 200);
  const batch = pacer.track(500, T0);
  assert.is(pacer.nextDelay(batch, 200, 1, T0 + 200), 50);
  assert.is(pacer.nextDelay(batch, 50, 2, T0 + 250), 75);
});

test("waiting batches hear when the pacer learns", async () => {
  const pacer = new PollPacer();
  const a = pacer.track(10, T0);
  const heard = pacer.learning();
  pacer.learn(a, iso(T0), iso(T0 + 10), T0 + 20);
  await heard;
  assert.not.ok(pacer.guessing);
});

test.run();
