/** What the specification names but this decom does not build yet: the CLI says so, as the README promises, and changes nothing. */
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { NOT_YET_COMMANDS } from "../../src/cli/not-yet.js";
import { assertOneLine, decom, manifestYaml, workspace } from "../helpers/decom.js";

const test = suite<{ dir: string; remove: () => void }>("e2e: not built yet");
const README = new URL("../../README.md", import.meta.url);
const NOT_YET = '(see "Not yet" in the README)';

test.before.each((ctx) => {
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({ "decom.yaml": manifestYaml(["dev-0001"]) }));
});
test.after.each((ctx) => ctx.remove());

test("a command not built yet says so, exit 1, and restore is no longer one", async ({ dir }) => {
  for (const [command, meanwhile] of NOT_YET_COMMANDS) {
    const result = await decom([command], { cwd: dir });
    assertOneLine(result, `error: decom ${command} is not built yet in this version ${NOT_YET}; ${meanwhile}`);
  }
  assert.not.ok(NOT_YET_COMMANDS.has("restore"));
  const restore = await decom(["restore", "--all", "--auto-approve", "--endpoint", "http://127.0.0.1:4567"], { cwd: dir });
  assert.not.match(restore.stderr, "not built yet");
  assert.match(restore.stderr, "decom.archive.jsonl holds nothing");
});

test("a command the specification does not name is still unknown, with the closest one", async ({ dir }) => {
  const result = await decom(["aply"], { cwd: dir });
  assertOneLine(result, 'error: unknown command "aply" (did you mean "apply"?); run "decom --help" for the list');
});

test("the README's 'Not yet' section names each of them", () => {
  const readme = readFileSync(README, "utf8");
  const section = readme.slice(readme.indexOf("## Not yet"));
  for (const named of NOT_YET_COMMANDS.keys()) assert.match(section, `\`decom ${named}`);
});

test.run();
