#!/usr/bin/env node
/** The decom executable: the only place that touches `process` and exits. */
import { run } from "./cli/run.js";

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  interrupts: () => {
    const stop = new AbortController();
    const halt = new AbortController();
    const onSignal = () => (stop.signal.aborted ? halt.abort() : stop.abort());
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    return { stop: stop.signal, halt: halt.signal };
  },
};

// Exit as soon as the command is done: after a second Ctrl-C, requests still
// under way must not keep the process alive (the state already records them).
process.exit(await run(process.argv.slice(2), io));
