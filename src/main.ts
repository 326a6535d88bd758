#!/usr/bin/env node
/**
 * The decom executable: the process edge. It owns stdout, stderr and the
 * signals, and is the only place that exits; commands get these through `Io`
 * (a few library functions still read `process.cwd()`/`process.env` as defaults).
 */
import { setMaxListeners } from "node:events";
import { run } from "./cli/run.js";
import { ProcessOutput } from "./cli/process-output.js";

/** While the command runs; a closed stream is only worth a word then. */
let running = false;

// Ctrl-C, twice: the first stops (no new batches), the second halts.
const stop = new AbortController();
const halt = new AbortController();
// Every batch followed at once listens to them (--parallelism 16 is 16 listeners): no leak, no warning.
setMaxListeners(0, stop.signal, halt.signal);
const onSignal = () => (stop.signal.aborted ? halt.abort() : stop.abort());

// A reader that goes away ends the run as a first Ctrl-C does: no new batch,
// those in flight followed and recorded, the lock released. A closed stdout is
// said on stderr; a closed stderr is said nowhere, since stdout may be --json
// that a warning would corrupt.
const closed = (warn: ((text: string) => void) | undefined) => (err: NodeJS.ErrnoException) => {
  const what = err.code === "EPIPE" ? "was closed (EPIPE)" : `could not be written (${err.code ?? err.message})`;
  // Once the command is done there is nothing to stop: `decom plan | head` ends quietly.
  if (running && !stop.signal.aborted) warn?.(`\nwarning: standard output ${what}; stopping as on Ctrl-C.\n`);
  stop.abort();
};
const stderr: ProcessOutput = new ProcessOutput(process.stderr, closed(undefined));
const stdout: ProcessOutput = new ProcessOutput(
  process.stdout,
  closed((text) => stderr.write(text)),
);

const io = {
  stdout,
  stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  interrupts: () => {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    return { stop: stop.signal, halt: halt.signal };
  },
};

running = true;
let code = await run(process.argv.slice(2), io);
running = false;
// Output still queued for a pipe is written before exiting; a Ctrl-C while a
// reader holds it up exits at once.
process.removeListener("SIGINT", onSignal).removeListener("SIGTERM", onSignal);
process.once("SIGINT", () => process.exit(code)).once("SIGTERM", () => process.exit(code));
await Promise.all([stdout.flushed(), stderr.flushed()]);
// A view lost on a full disk is a failure (`decom plan > plan.txt` must not pass CI empty);
// a reader that stopped reading (`| head`) is not.
if (code === 0 && stdout.failed) {
  stderr.write(`error: standard output could not be written (${stdout.failure?.code ?? "error"}); what decom printed is incomplete\n`);
  code = 1;
}
await stderr.flushed();
// Then exit, even with requests still under way after a second Ctrl-C: the state already records them.
process.exit(code);
