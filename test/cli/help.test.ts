/** Each command's --help lists exactly the flags the command accepts, so neither can drift from the other. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { OptionSpec } from "../../src/cli/args.js";

const test = suite("cli: --help against the flags");

const COMMANDS = [
  ["plan", "apply", "show", "state", "state-list", "state-show", "state-rm"],
  ["init", "validate", "force-unlock", "emulator", "restore"],
].flat();

/** The option rows of a help text: `  -f, --manifest FILE   …` or `      --out FILE   …`. */
function helpRows(help: string): Map<string, string | undefined> {
  const rows = new Map<string, string | undefined>();
  for (const match of help.matchAll(/^ {2,6}(?:-(\w), )?--([\w-]+)/gm)) rows.set(match[2]!, match[1]);
  return rows;
}

for (const name of COMMANDS) {
  test(`decom ${name} --help lists every flag it accepts, and only those`, async () => {
    const module = (await import(`../../src/cli/commands/${name}.js`)) as { help: string; options: OptionSpec };
    const rows = helpRows(module.help);
    const accepted = Object.keys(module.options).filter((flag) => flag !== "help");
    assert.equal([...rows.keys()].sort(), accepted.sort(), `decom ${name}: flags in --help vs flags accepted`);
    for (const flag of accepted) assert.is(rows.get(flag), module.options[flag]!.short, `decom ${name} --${flag}: short form in --help`);
  });
}

test.run();
