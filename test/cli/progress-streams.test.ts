/** Apply progress: the bar and its lines are the view (stdout); a batch in trouble is a warning (stderr). */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { palette } from "../../src/views/colour.js";
import { ProgressView } from "../../src/views/progress.js";

const test = suite("cli views: progress streams");

function progress(tty: boolean): { view: ProgressView; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const view = new ProgressView({ write: (t) => (out += t), warn: (t) => (err += t), tty, quiet: false, palette: palette(false) });
  return { view, out: () => out, err: () => err };
}

for (const tty of [false, true]) {
  test(`${tty ? "at a terminal" : "in a log"}: warnings on stderr, progress on stdout`, () => {
    const { view, out, err } = progress(tty);
    view.handle({ type: "wave-started", wave: 1, waves: 2, kind: "resource", batches: 2, ids: 20 });
    view.handle({ type: "batch-unacknowledged", wave: 1, ids: 10, error: "socket hang up" });
    view.handle({ type: "batch-in-flight", wave: 1, batchId: "b-1", ids: 10, error: "the service no longer knows it" });
    view.handle({ type: "wave-finished", wave: 1 });
    view.handle({ type: "waves-halted", wave: 2, reason: "batch-in-flight" });
    view.close();
    assert.match(err(), "no acknowledgement for a batch of 10 ids (socket hang up)");
    assert.match(err(), "still in flight: batch b-1 (10 ids): the service no longer knows it");
    assert.match(err(), "Wave 2 and later were not started: a batch of the previous wave is still in flight.");
    assert.not.match(out(), "no acknowledgement");
    assert.not.match(out(), "still in flight");
    assert.not.match(out(), "not started");
    assert.match(out(), "Wave 1/2");
  });
}

test.run();
