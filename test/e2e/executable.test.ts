/** The built executable path: `decom` as a child process, as operators and CI run it. */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator } from "../../src/emulator/server.js";
import { manifestYaml, workspace } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: the decom executable");
const main = new URL("../../src/main.ts", import.meta.url).pathname;
const tsx = new URL("../../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href;

async function decomProcess(args: string[], cwd: string, env: Record<string, string> = {}) {
  // spawnSync would block the event loop the in-process emulator needs: run it asynchronously.
  const { spawn } = await import("node:child_process");
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", tsx, main, ...args], { cwd, env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("--version and --help", () => {
  const version = spawnSync(process.execPath, ["--import", tsx, main, "--version"], { encoding: "utf8" });
  assert.is(version.status, 0);
  assert.match(version.stdout, /^decom \d+\.\d+\.\d+\n$/);
  const help = spawnSync(process.execPath, ["--import", tsx, main, "--help"], { encoding: "utf8" });
  assert.match(help.stdout, "Usage: decom <command>");
});

test("an unknown command exits 1 and names the closest one", () => {
  const result = spawnSync(process.execPath, ["--import", tsx, main, "plna"], { encoding: "utf8" });
  assert.is(result.status, 1);
  assert.match(result.stderr, 'unknown command "plna" (did you mean "plan"?)');
});

test("plan --detailed-exitcode exits 2 with changes, and the process ends on its own", async () => {
  const emulator = await startEmulator({ seed: world(devices("dev", 2)) });
  const { dir, remove } = workspace();
  try {
    writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001"]));
    const result = await decomProcess(["plan", "--detailed-exitcode"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
    assert.is(result.code, 2, result.stderr);
    assert.match(result.stdout, "Plan: 1 to delete, 0 already absent, 0 to forget.");
    assert.not.match(result.stdout, "\u001b[", "no colour in a pipe");
  } finally {
    remove();
    await emulator.close();
  }
});

test.run();
