/**
 * The built executable: `node dist/decom.js`, what `npm run build` makes and
 * package.json's `bin` installs, as a child process, as operators and CI run it.
 */
import { tmpdir } from "node:os";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildDist } from "../helpers/build.js";
import { runDecom } from "../helpers/child.js";
import { manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: the decom executable");

/** Built before the first test that needs it; a failed build fails each test with tsc's output. */
async function decomBuilt(args: string[], cwd = tmpdir(), env: Record<string, string> = {}) {
  await buildDist();
  return runDecom(args, cwd, env, { entry: "built" });
}

test("--version and --help", async () => {
  const version = await decomBuilt(["--version"]);
  assert.is(version.code, 0, version.stderr);
  assert.match(version.stdout, /^decom \d+\.\d+\.\d+\n$/);
  const help = await decomBuilt(["--help"]);
  assert.is(help.code, 0, help.stderr);
  assert.match(help.stdout, "Usage: decom <command>");
});

test("an unknown command exits 1 and names the closest one", async () => {
  const result = await decomBuilt(["plna"]);
  assert.is(result.code, 1);
  assert.match(result.stderr, 'unknown command "plna" (did you mean "plan"?)');
});

test("plan --detailed-exitcode exits 2 with changes, apply deletes, and each process ends on its own", async () => {
  return withEmulator({ seed: world(devices("dev", 2)) }, { "decom.yaml": manifestYaml(["dev-0001"]) }, async ({ emulator, dir }) => {
    const env = { WAYLAY_GATEWAY_URL: emulator.url };
    const plan = await decomBuilt(["plan", "--detailed-exitcode"], dir, env);
    assert.is(plan.code, 2, plan.stderr);
    assert.match(plan.stdout, "Plan: 1 to delete, 0 already absent, 0 to forget.");
    assert.not.match(plan.stdout, "\u001b[", "no colour in a pipe");
    const apply = await decomBuilt(["apply", "--auto-approve"], dir, env);
    assert.is(apply.code, 0, apply.stdout + apply.stderr);
    assert.match(apply.stdout, "Apply complete: 1 deleted, 0 absent, 0 failed.");
    assert.not.ok(emulator.tenant.resources.has("dev-0001"));
  });
});

test.run();
