/**
 * Builds dist/ the way `npm run build` does (`tsc -p tsconfig.json`, then the
 * standalone validators: dist/schemas/write-standalone.js), once per
 * test process, so a test of "the executable" runs what users install rather
 * than the sources through tsx. dist/ is git-ignored.
 */
import { spawn } from "node:child_process";

const root = new URL("../../", import.meta.url).pathname;
const tsc = new URL("../../node_modules/typescript/bin/tsc", import.meta.url).pathname;
let build: Promise<void> | undefined;

/** Resolves once dist/ is built from the current sources; rejects with tsc's output if the build fails. */
export function buildDist(): Promise<void> {
  build ??= new Promise((resolve, reject) => {
    // Asynchronously: a test's in-process emulator may need the event loop meanwhile.
    step([tsc, "-p", "tsconfig.json"])
      .then(() => step(["dist/schemas/write-standalone.js"]))
      .then(resolve, reject);
  });
  return build;
}

function step(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`the build (${args.join(" ")}) failed with exit ${code}:\n${output}`)),
    );
  });
}
