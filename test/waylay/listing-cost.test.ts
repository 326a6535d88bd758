/** The dependency check's cost model: how many listing requests each way of checking takes under the client's limits. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_LIST_PAGE_SIZE } from "../../src/waylay/client.js";
import { countingChecks, countingRequests, listingRequests } from "../../src/waylay/listing-cost.js";

const test = suite("waylay: listing cost");
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

test("counting checks take one request per 250 queryable ids", () => {
  assert.equal(countingRequests(countingChecks(ids("dev", 250))), 1);
  assert.equal(countingRequests(countingChecks(ids("dev", 251))), 2);
  assert.equal(
    countingChecks(ids("dev", 600)).chunks.map((c) => c.length),
    [250, 250, 100],
  );
});

test("long ids split a chunk at the URL budget before 250", () => {
  const long = ids("x".repeat(100), 250);
  const { chunks } = countingChecks(long);
  assert.ok(chunks.length > 1, `250 ids of 100+ characters fit one query of ${chunks[0]?.length} ids`);
  assert.equal(chunks.flat(), long);
});

test("an id that cannot go inside in(...) costs a request of its own", () => {
  const checks = countingChecks(["a", "b,c", "d e", "(f)", "g"]);
  assert.equal(checks.chunks, [["a", "g"]]);
  assert.equal(checks.oneByOne, ["b,c", "d e", "(f)"]);
  assert.equal(countingRequests(checks), 4);
});

test("listing takes one request per page of the client's page size, none for nothing", () => {
  assert.equal(listingRequests(0), 0);
  assert.equal(listingRequests(1), 1);
  assert.equal(listingRequests(DEFAULT_LIST_PAGE_SIZE), 1);
  assert.equal(listingRequests(DEFAULT_LIST_PAGE_SIZE + 1), 2);
});

test.run();
