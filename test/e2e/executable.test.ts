/** The built executable path: `decom` as a child process, as operators and CI run it. */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator } from "../../src/emulator/server.js";
import { runDecom } from "../helpers/child.js";
import { manifestYaml, workspace } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: the decom executable");
const main = new URL("../../src/main.ts", import.meta.url).pathname;
const tsx = new URL("../../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href;

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
    // Asynchronously: spawnSync would block the event loop the in-process emulator needs.
    const result = await runDecom(["plan", "--detailed-exitcode"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
    assert.is(result.code, 2, result.stderr);
    assert.match(result.stdout, "Plan: 1 to delete, 0 already absent, 0 to forget.");
    assert.not.match(result.stdout, "\u001b[", "no colour in a pipe");
  } finally {
    remove();
    await emulator.close();
  }
});

test.run();
