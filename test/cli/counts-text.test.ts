/** Counts in the human views: grouped digits, and the noun agreeing with the count. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { recoveredText } from "../../src/views/apply-text.js";
import { count, formatNumber } from "../../src/text/plural.js";

const test = suite("cli views: counts");

const recovered = { batches: 1, deleted: 1234, absent: 0, failed: 2, inFlight: 0, notTaken: 0 };

test("one batch recovered is followed to its end; two to theirs", () => {
  assert.match(
    recoveredText(recovered),
    "Recovered an interrupted apply: 1 batch followed to its end (1,234 deleted, 0 absent, 2 failed).",
  );
  assert.match(
    recoveredText({ ...recovered, batches: 2, notTaken: 1500, inFlight: 1001 }),
    "2 batches followed to their end (1,234 deleted, 0 absent, 2 failed, 1,500 never taken (planned again), 1,001 still in flight).",
  );
});

test("count and formatNumber group thousands, en-US, whatever the locale", () => {
  assert.is(count(1, "batch", "batches"), "1 batch");
  assert.is(count(3000, "id"), "3,000 ids");
  assert.is(formatNumber(1234567), "1,234,567");
  assert.is(formatNumber(999), "999");
  assert.is(formatNumber(0), "0");
});

test("formatNumber writes what Intl's en-US format writes, rounding on the decimal digits", () => {
  const intl = [0, 1].map((d) => new Intl.NumberFormat("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }));
  const values = [1, 12, 999.95, 1000, 9999.96, 0.05, 0.15, 1.45, 2.5, 889773.95, -6349533.05, -1234567, 123456789012, 1e15, 4.2e17];
  values.push(1e-7, 5e-324, 999999999999999.9, 1e15 + 0.5, 1e21, 123.456e-8);
  for (const value of values)
    for (const digits of [0, 1]) assert.is(formatNumber(value, digits), intl[digits]?.format(value), `${value} to ${digits} digits`);
  // Where it departs on purpose: no "-0" for a count that rounds to nothing.
  assert.is(formatNumber(-0.04, 1), "0.0");
});

test.run();
