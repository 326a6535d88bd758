/** The heap's growth: set for decom's own commands, unless node was started with it. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { heapGrowthFlag } from "../../src/cli/heap.js";

const test = suite("cli: heap growth");

test("by default, the old generation may grow by half of what the last full collection kept", () => {
  assert.is(heapGrowthFlag([]), "--heap-growing-percent=50");
  assert.is(heapGrowthFlag(["--enable-source-maps", "--max-old-space-size=4096"]), "--heap-growing-percent=50");
});

test("a growth node was started with, in either spelling, is left as given", () => {
  assert.is(heapGrowthFlag(["--heap-growing-percent=80"]), undefined);
  assert.is(heapGrowthFlag(["--heap_growing_percent=20"]), undefined);
});

test.run();
