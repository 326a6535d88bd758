/** The crash the issues' acceptance points name: an apply SIGKILLed 300 ms after its first 202. */
import * as assert from "uvu/assert";
import { spawnDecom, waitFor } from "./child.js";
import { decom } from "./decom.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Plans plan.json in batches of 50, runs `apply plan.json` one batch at a time
 * in a child process, and SIGKILLs it 300 ms after `accepted()` (the emulator's
 * onBatchAccepted) first holds.
 */
export async function applyKilledAfterFirst202(dir: string, endpoint: string, accepted: () => boolean): Promise<void> {
  const planned = await decom(["plan", "--out", "plan.json", "--batch-size", "50"], { cwd: dir, endpoint });
  assert.is(planned.code, 0, planned.stderr);
  const child = spawnDecom(["apply", "plan.json", "--parallelism", "1", "--unacknowledged-grace", "2s"], dir, {
    WAYLAY_GATEWAY_URL: endpoint,
  });
  await waitFor(accepted, 15_000, "first batch accepted");
  await sleep(300);
  child.process.kill("SIGKILL");
  assert.is((await child.done).signal, "SIGKILL");
}
