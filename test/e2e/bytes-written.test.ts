/**
 * What an apply writes to disk grows linearly with its work: each batch appends
 * its ids to the journal, and the state file is written once, when the journal
 * is compacted into it. Stated bound: 300 bytes per id, plus 64 KiB.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { localDisk } from "../../src/files/disk.js";
import { CountingDisk } from "../helpers/counting-disk.mjs";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: bytes written by apply");
const BYTES_PER_ID = 300;
const FIXED = 64 * 1024;

async function bytesForApply(n: number): Promise<{ bytes: number; writes: number }> {
  const fleet = devices("device", n, "legacy");
  return withEmulator(
    { seed: world(fleet), timing: { startDelayMs: 1, perIdMs: 0.01 } },
    { "decom.yaml": manifestYaml(fleet.map((d) => d.id)) },
    async ({ emulator, dir }) => {
      const disk = new CountingDisk(localDisk);
      // The journal and the state alone: what the archive adds per id is in the benchmark.
      const apply = await decom(["apply", "--auto-approve", "--no-archive"], { cwd: dir, endpoint: emulator.url, disk });
      assert.is(apply.code, 0, apply.stdout + apply.stderr);
      assert.match(apply.stdout, `Apply complete: ${n.toLocaleString("en-US")} deleted, 0 absent, 0 failed.`);
      return { bytes: disk.bytesWritten, writes: disk.writes };
    },
  );
}

test("a 20,000-id apply writes under 300 bytes per id plus 64 KiB, and per-id cost does not grow with size", async () => {
  const small = await bytesForApply(5_000);
  const large = await bytesForApply(20_000);
  assert.ok(large.bytes < BYTES_PER_ID * 20_000 + FIXED, `20,000 ids wrote ${large.bytes} bytes`);
  // 40 batches of 500: a begin record, the apply record, then submit, accepted and finished per batch, then one state write.
  assert.is(large.writes, 2 + 3 * 40 + 1);
  const perIdSmall = small.bytes / 5_000;
  const perIdLarge = large.bytes / 20_000;
  assert.ok(perIdLarge < perIdSmall * 1.1, `per id: ${perIdSmall.toFixed(1)} B at 5,000, ${perIdLarge.toFixed(1)} B at 20,000`);
});

test.run();
