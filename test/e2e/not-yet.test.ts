/** What the specification names but this decom does not build yet: the CLI says so, as the README promises, and changes nothing. */
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertOneLine, decom, manifestYaml, workspace } from "../helpers/decom.js";

const test = suite<{ dir: string; remove: () => void }>("e2e: not built yet");
const README = new URL("../../README.md", import.meta.url);
const NOT_YET = '(see "Not yet" in the README)';

test.before.each((ctx) => {
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({ "decom.yaml": manifestYaml(["dev-0001"]) }));
});
test.after.each((ctx) => ctx.remove());

test("decom restore: not built yet, exit 1", async ({ dir }) => {
  const result = await decom(["restore", "--all"], { cwd: dir });
  assertOneLine(
    result,
    `error: decom restore is not built yet in this version ${NOT_YET}; ` +
      "decom keeps no archive of what it deleted, so nothing can be restored",
  );
});

test("a command the specification does not name is still unknown, with the closest one", async ({ dir }) => {
  const result = await decom(["aply"], { cwd: dir });
  assertOneLine(result, 'error: unknown command "aply" (did you mean "apply"?); run "decom --help" for the list');
});

test("the README's 'Not yet' section names each of them", () => {
  const readme = readFileSync(README, "utf8");
  const section = readme.slice(readme.indexOf("## Not yet"));
  for (const named of ["`decom restore"]) assert.match(section, named);
});

test.run();
