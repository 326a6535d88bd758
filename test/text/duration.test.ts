/** Waits as the retry notice shows them. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatDuration } from "../../src/text/duration.js";

const test = suite("text: durations");

test("whole seconds, rounded up; minutes and hours past them", () => {
  assert.equal([0, 1, 999, 1000, 1001, 59_000, 60_000, 63_000, 62_400, 3_600_000, 3_900_000].map(formatDuration), [
    "1s",
    "1s",
    "1s",
    "1s",
    "2s",
    "59s",
    "1m",
    "1m 3s",
    "1m 3s",
    "1h",
    "1h 5m",
  ]);
});

test.run();
