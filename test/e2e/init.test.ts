import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { decom, workspace } from "../helpers/decom.js";

const test = suite("e2e: decom init");

test("writes a starter manifest that validates, with a $schema line that resolves, and .gitignore lines once", async () => {
  const { dir, remove } = workspace({ ".gitignore": "node_modules/" });
  try {
    const init = await decom(["init"], { cwd: dir });
    assert.is(init.code, 0, init.stderr);
    const manifest = readFileSync(join(dir, "decom.yaml"), "utf8");
    const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(manifest)?.[1];
    assert.ok(schema && existsSync(resolve(dirname(join(dir, "decom.yaml")), schema)), `the $schema path ${schema} exists`);
    assert.match(manifest, "#   - select:");
    assert.is((await decom(["validate"], { cwd: dir })).code, 0);
    assert.is(readFileSync(join(dir, ".gitignore"), "utf8"), "node_modules/\n# decom: the lock exists only while decom runs\n*.lock\n# decom: saved plans are reviewed in pull requests; ignore them if you do not commit them\n# plan.json\n");

    const again = await decom(["init"], { cwd: dir });
    assert.is(again.code, 1);
    assert.match(again.stderr, "decom.yaml already exists; decom init never overwrites a manifest");
    assert.is((await decom(["init", "-f", "other.yaml"], { cwd: dir })).code, 0);
    const lockLines = readFileSync(join(dir, ".gitignore"), "utf8").split("\n").filter((line) => line === "*.lock");
    assert.is(lockLines.length, 1, "lines are added once");
  } finally {
    remove();
  }
});

test.run();
