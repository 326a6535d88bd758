/** The apply views print what the server said (batch ids, error texts): escaped, so it cannot drive the terminal. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { renderFailures } from "../../src/views/apply-text.js";
import { palette } from "../../src/views/colour.js";
import { ProgressView } from "../../src/views/progress.js";

const test = suite("cli views: server text");

const HOSTILE = "gone\u001b[2J\u001b]0;pwned\u0007\u009b1A\u202e";
const SHOWN = String.raw`gone\u001b[2J\u001b]0;pwned\u0007\u009b1A\u202e`;
/** Anything but printable ASCII and \n; the views here print nothing else when colour is off. */
const RAW = /[^\x20-\x7e\n]/;

function progress(): { view: ProgressView; out: () => string } {
  let out = "";
  const view = new ProgressView({ write: (t) => (out += t), warn: (t) => (out += t), tty: false, quiet: false, palette: palette(false) });
  return { view, out: () => out };
}

test("a batch left in flight: its batch id and the error are escaped", () => {
  const { view, out } = progress();
  view.handle({ type: "wave-started", wave: 1, waves: 1, kind: "resource", batches: 1, ids: 3 });
  view.handle({ type: "batch-in-flight", wave: 1, batchId: `b-${HOSTILE}`, ids: 3, error: HOSTILE });
  view.close();
  assert.not.ok(RAW.test(out()), JSON.stringify(out()));
  assert.match(out(), `still in flight: batch b-${SHOWN} (3 ids): ${SHOWN}`);
});

test("a batch without acknowledgement: the error is escaped", () => {
  const { view, out } = progress();
  view.handle({ type: "batch-unacknowledged", wave: 1, ids: 2, error: HOSTILE });
  assert.not.ok(RAW.test(out()), JSON.stringify(out()));
  assert.match(out(), `no acknowledgement for a batch of 2 ids (${SHOWN})`);
});

test("failures: the id quoted and escaped, the server's error escaped", () => {
  const text = renderFailures([{ kind: "resource", id: 'a"\r\u202e', error: HOSTILE }]);
  assert.not.ok(RAW.test(text), JSON.stringify(text));
  assert.match(text, String.raw`resource "a\"\r\u202e": ` + SHOWN);
});

test.run();
