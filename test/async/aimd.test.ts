/** AimdLimit: halved on a 429 (once per burst, never below 1), grown back by one per allowance's worth of answers. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { AimdLimit } from "../../src/async/aimd.js";
import { mapConcurrent } from "../../src/async/map-concurrent.js";

const test = suite("async: AIMD limit");

test("a 429 halves the limit, never below 1", () => {
  const limit = new AimdLimit(8);
  limit.throttled(0, 1);
  assert.is(limit.limit, 4);
  limit.throttled(2, 3);
  limit.throttled(4, 5);
  limit.throttled(6, 7);
  limit.throttled(8, 9);
  assert.is(limit.limit, 1);
});

test("429s to requests sent before the last halving halve it only once", () => {
  const limit = new AimdLimit(8);
  // Four requests sent at 0..3, all answered 429 from 10 on.
  for (const sentAt of [0, 1, 2, 3]) limit.throttled(sentAt, 10 + sentAt);
  assert.is(limit.limit, 4);
  assert.is(limit.halvings, 1);
  limit.throttled(11, 20);
  assert.is(limit.limit, 2, "a request sent after the halving, and throttled again, halves it again");
});

test("answers grow it back by one per allowance's worth, up to the maximum", () => {
  const limit = new AimdLimit(4);
  limit.throttled(0, 0);
  assert.is(limit.limit, 2);
  limit.answered();
  limit.answered();
  assert.is(limit.limit, 2, "each answer adds 1 / allowance: 2.5, then 2.9");
  limit.answered();
  assert.is(limit.limit, 3);
  for (let i = 0; i < 100; i++) limit.answered();
  assert.is(limit.limit, 4);
});

test("mapConcurrent through the limit never has more calls in flight than it allows at the time", async () => {
  const limit = new AimdLimit(6);
  let running = 0;
  const seen: { running: number; allowed: number }[] = [];
  const results = await mapConcurrent(
    Array.from({ length: 40 }, (_, i) => i),
    limit,
    async (i) => {
      running++;
      seen.push({ running, allowed: limit.limit });
      await new Promise((r) => setTimeout(r, 1));
      // Every fifth call is throttled; the others are answered.
      if (i % 5 === 0) limit.throttled(i, i);
      else limit.answered();
      running--;
      return i * 2;
    },
  );
  assert.equal(
    results,
    Array.from({ length: 40 }, (_, i) => i * 2),
  );
  assert.ok(
    seen.some((s) => s.running === 6),
    "it started at its maximum",
  );
  assert.ok(
    seen.every((s) => s.running <= s.allowed),
    "never more in flight than allowed",
  );
  assert.ok(limit.halvings > 0);
  assert.is(limit.inFlight, 0);
});

test("a call that waits out a Retry-After gives its place to another meanwhile, and takes it back in turn", async () => {
  const limit = new AimdLimit(1);
  const events: string[] = [];
  await mapConcurrent(["a", "b"], 2, async (name) => {
    await limit.acquire();
    try {
      events.push(`${name} in`);
      if (name === "a") {
        // b is let in as soon as a's place is free; it needs no time at all, so it is done long before a's wait ends.
        await limit.waitOut(30);
        events.push("a back");
      }
    } finally {
      events.push(`${name} out`);
      limit.release();
    }
  });
  assert.equal(events, ["a in", "b in", "b out", "a back", "a out"]);
  assert.is(limit.inFlight, 0);
});

test("a limit needs a whole maximum of at least 1", () => {
  assert.throws(() => new AimdLimit(0), /at least 1/);
});

test.run();
