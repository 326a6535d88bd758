/** The --json view of apply events: the words the text view uses, the code beside them, valid against the events schema. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { HaltReason } from "../../src/apply/events.js";
import { applyEventLine } from "../../src/views/json-lines.js";
import { assertValid } from "../helpers/schemas.js";

const test = suite("views: JSON lines");

const halts: [HaltReason, string][] = [
  ["credentials-refused", "the credentials were refused"],
  ["interrupted", "interrupted"],
  ["batch-in-flight", "a batch of the previous wave is still in flight"],
];

for (const [code, words] of halts) {
  test(`waves_halted for ${code}: reason "${words}", reasonCode "${code}"`, () => {
    const line = JSON.parse(applyEventLine({ type: "waves-halted", wave: 2, reason: code })!) as Record<string, unknown>;
    assertValid("events", line, "waves_halted line");
    assert.equal([line.type, line.wave, line.reason, line.reasonCode], ["waves_halted", 2, words, code]);
  });
}

test.run();
