/** Seams a new user hits in the first week, found by trying decom as one. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DECOM_VERSION } from "../../src/version.js";
import { assertOneLine, decom, manifestYaml, workspace } from "../helpers/decom.js";

const test = suite("e2e: first-week seams");

test("decom version answers as --version does (Terraform users type it)", async () => {
  const { dir, remove } = workspace();
  try {
    for (const args of [["version"], ["--version"]]) {
      const result = await decom(args, { cwd: dir });
      assert.is(result.code, 0);
      assert.is(result.stdout, `decom ${DECOM_VERSION}\n`);
    }
  } finally {
    remove();
  }
});

test("apply of a plan file that does not exist names the file, before credentials or the network are looked at", async () => {
  const { dir, remove } = workspace({ "decom.yaml": manifestYaml(["dev-0001"]) });
  try {
    const result = await decom(["apply", "nonexistent.json"], { cwd: dir, env: { WAYLAY_GATEWAY_URL: "https://gateway.invalid" } });
    assertOneLine(result, "error: nonexistent.json: no such file");
  } finally {
    remove();
  }
});

test("decom help plan is plan's help, as git and Terraform users type it", async () => {
  const { dir, remove } = workspace();
  try {
    const help = await decom(["help", "plan"], { cwd: dir });
    assert.is(help.code, 0);
    assert.match(help.stdout, "Usage: decom plan [options]");
    const unknown = await decom(["help", "plna"], { cwd: dir });
    assert.is(unknown.code, 1);
    assert.match(unknown.stderr, 'unknown command "plna" (did you mean "plan"?)');
  } finally {
    remove();
  }
});

test.run();
