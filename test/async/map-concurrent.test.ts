/** mapConcurrent: bounded concurrency, input order kept, and no new work once a task failed. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mapConcurrent } from "../../src/async/map-concurrent.js";

const test = suite("async: mapConcurrent");

/** A promise settled from outside, for tasks whose end the test decides. */
function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => ((open = resolve), (fail = reject)));
  return { promise, open, fail };
}

/** Lets every pending callback and I/O turn run, so what could start has started. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test("results keep input order and at most `limit` calls are in flight", async () => {
  const gates = Array.from({ length: 6 }, () => gate<number>());
  let inFlight = 0;
  let most = 0;
  const run = mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (i) => {
    inFlight++;
    most = Math.max(most, inFlight);
    try {
      return await gates[i]!.promise;
    } finally {
      inFlight--;
    }
  });
  // Finish them out of order.
  for (const i of [1, 0, 3, 2, 5, 4]) {
    await settle();
    gates[i]!.open(i * 10);
  }
  assert.equal(await run, [0, 10, 20, 30, 40, 50]);
  assert.is(most, 2);
});

test("after a task rejects, no new task starts; the ones started run to their end; the first error rejects", async () => {
  const started: number[] = [];
  const second = gate();
  let secondEnded = false;
  let rejected: unknown;
  const run = mapConcurrent([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2, async (i) => {
    started.push(i);
    if (i === 0) throw new Error("task 0 failed");
    if (i === 1) {
      await second.promise;
      secondEnded = true;
    }
  }).catch((err: unknown) => (rejected = err));
  await settle();
  const settledEarly = rejected !== undefined;
  second.open();
  await run;
  await settle();
  assert.equal(started, [0, 1], "nothing started after the failure");
  assert.ok(secondEnded, "the task in flight ran to its end");
  assert.not.ok(settledEarly, "not settled while task 1 still ran: a caller that records outcomes loses none");
  assert.instance(rejected, Error);
  assert.is((rejected as Error).message, "task 0 failed", "the first error is what rejects");
});

test("a failure in the middle: what started before it finishes, nothing after it starts, a later error does not replace it", async () => {
  const started: number[] = [];
  const gates = Array.from({ length: 8 }, () => gate());
  const run = mapConcurrent([0, 1, 2, 3, 4, 5, 6, 7], 3, async (i) => {
    started.push(i);
    await gates[i]!.promise;
  });
  const outcome = run.then(
    () => "resolved",
    (err: Error) => err.message,
  );
  await settle();
  gates[0]!.open();
  await settle();
  assert.equal(started, [0, 1, 2, 3]);
  gates[2]!.fail(new Error("task 2 failed"));
  await settle();
  gates[1]!.open();
  gates[3]!.fail(new Error("task 3 failed, later"));
  await settle();
  assert.equal(started, [0, 1, 2, 3], "tasks 1 and 3 ended after the failure: no new task took their place");
  assert.is(await outcome, "task 2 failed", "the first error, not a later one");
});

test("no items: no calls, an empty result", async () => {
  let calls = 0;
  assert.equal(await mapConcurrent([], 4, async () => calls++), []);
  assert.is(calls, 0);
});

test.run();
