/** The heap's growth: set for decom's own commands, unless node was started with it. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { heapGrowthFlag } from "../../src/cli/heap.js";

const test = suite("cli: heap growth");

test("by default, the old generation may grow by half of what the last full collection kept", () => {
  assert.is(heapGrowthFlag({}, []), "--heap-growing-percent=50");
  assert.is(heapGrowthFlag({ NODE_OPTIONS: "--max-old-space-size=4096" }, ["--enable-source-maps"]), "--heap-growing-percent=50");
});

test("a growth given on node's command line or in NODE_OPTIONS, in either spelling, is left as given", () => {
  assert.is(heapGrowthFlag({}, ["--heap-growing-percent=80"]), undefined);
  assert.is(heapGrowthFlag({ NODE_OPTIONS: "--heap_growing_percent=20" }, []), undefined);
});

test.run();
