// Runs one decom command from the built dist/ (the bundle users run: decom-run.js is
// its cli/run.js, sharing decom.js's chunks) in this process and reports what
// it cost: wall time, CPU (user + sys), peak RSS, bytes written. Plain JS, so no
// TypeScript loader is in the measurement. Usage:
//   node measure-cli.mjs REPORT.json -- <decom args>   (cwd: the work folder)
import { writeFileSync } from "node:fs";
import { run } from "../../dist/decom-run.js";
import { localDisk } from "../../dist/decom-disk.js";
import { CountingDisk } from "../helpers/counting-disk.mjs";

const [report, separator, ...args] = process.argv.slice(2);
if (separator !== "--") throw new Error("usage: measure-cli.mjs REPORT -- ARGS");
const disk = new CountingDisk(localDisk);
let stdoutBytes = 0;
const started = performance.now();
const code = await run(args, {
  // Rendering is measured; the terminal is not.
  stdout: { write: (text) => ((stdoutBytes += text.length), true), isTTY: false },
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  disk,
});
const wallMs = performance.now() - started;
const usage = process.resourceUsage();
writeFileSync(
  report,
  JSON.stringify({
    code,
    wallMs,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    peakRssMb: usage.maxRSS / 1024,
    bytesWritten: disk.bytesWritten,
    stdoutBytes,
  }),
);
process.exit(code);
