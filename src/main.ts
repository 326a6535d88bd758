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
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    return controller.signal;
  },
};

process.exitCode = await run(process.argv.slice(2), io);
