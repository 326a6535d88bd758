/** What the emulator accepted: the check that no id was ever in two accepted batches. */
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/server.js";

export function assertNoIdAcceptedTwice(emulator: Emulator): void {
  const seen = new Map<string, string>();
  for (const batch of emulator.batches.batches.values()) {
    for (const id of batch.body.query.ids) {
      const key = `${batch.body.entity}:${id}`;
      assert.not.ok(seen.has(key), `${key} was accepted in batch ${seen.get(key)} and again in ${batch.id}`);
      seen.set(key, batch.id);
    }
  }
}
