/**
 * Builds dist/ with `npm run build` itself (tsc, the standalone validators, the
 * bundle), once per test process, so a test of "the executable" runs what users
 * install rather than the sources through tsx. dist/ is git-ignored.
 */
import { spawn } from "node:child_process";

const root = new URL("../../", import.meta.url).pathname;
let build: Promise<void> | undefined;

/** Resolves once dist/ is built from the current sources; rejects with the build's output if it fails. */
export function buildDist(): Promise<void> {
  build ??= new Promise((resolve, reject) => {
    // Asynchronously: a test's in-process emulator may need the event loop meanwhile.
    // Under `npm test`, the npm that runs the tests; else the one on PATH.
    const npm = process.env.npm_execpath;
    const child = npm ? spawn(process.execPath, [npm, "run", "build"], { cwd: root }) : spawn("npm", ["run", "build"], { cwd: root });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed with exit ${code}:\n${output}`))));
  });
  return build;
}
