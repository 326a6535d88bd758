/**
 * A flag mistake is answered in decom's own words, in one line, with the form
 * the flag expects; node:util parseArgs' wording never reaches the user, and
 * nothing is sent (issue 10, item 7).
 */
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { assertOneLine, decom, manifestYaml } from "../helpers/decom.js";
import { oneDeviceSuite } from "../helpers/emulator-suite.js";

const test = oneDeviceSuite("e2e: flag mistakes are decom's own one-line errors");

/** What node:util parseArgs says; none of it may be shown. */
const PARSE_ARGS_WORDING = ["Option '", "ambiguous", "argument missing", "does not take an argument", "Unexpected argument"];

const cases: [why: string, args: string[], expected: string][] = [
  // A string flag without its value.
  ["--out without a value", ["plan", "--out"], "error: decom plan: --out needs a file name: --out plan.json"],
  ["--out followed by another flag", ["plan", "--out", "--debug"], "error: decom plan: --out needs a file name: --out plan.json"],
  ["--out= with nothing after it", ["plan", "--out="], "error: decom plan: --out needs a file name: --out plan.json"],
  ["--target without a value", ["plan", "--target"], "error: decom plan: --target needs an id: --target gw-namur-01"],
  ["-f without a value", ["plan", "-f"], "error: decom plan: -f/--manifest needs a file name: -f decom.yaml"],
  [
    "--state without a value",
    ["apply", "--auto-approve", "--state"],
    "error: decom apply: --state needs a file name: --state decom.state.json",
  ],
  [
    "--endpoint followed by another flag",
    ["plan", "--endpoint", "-f", "decom.yaml"],
    "error: decom plan: --endpoint needs a URL: --endpoint https://api.waylay.io",
  ],
  [
    "--format without a value",
    ["show", "plan.json", "--format"],
    "error: decom show: --format needs one of text, markdown, json: --format markdown",
  ],
  // A value that looks like a flag (parseArgs: "ambiguous").
  [
    "a negative --parallelism",
    ["apply", "--auto-approve", "--parallelism", "-1"],
    'error: decom apply: --parallelism must be a positive integer such as --parallelism 4, got "-1"',
  ],
  [
    "a bad --parallelism, before the question of approval",
    ["apply", "--parallelism", "0"],
    'error: decom apply: --parallelism must be a positive integer such as --parallelism 4, got "0"',
  ],
  [
    "a negative --batch-size",
    ["plan", "--batch-size", "-5"],
    'error: decom plan: --batch-size must be a positive integer such as --batch-size 500, got "-5"',
  ],
  [
    "a fractional --batch-size",
    ["plan", "--batch-size", "2.5"],
    'error: decom plan: --batch-size must be a positive integer such as --batch-size 500, got "2.5"',
  ],
  [
    "an exponent --batch-size",
    ["plan", "--batch-size", "1e3"],
    'error: decom plan: --batch-size must be a positive integer such as --batch-size 500, got "1e3"',
  ],
  ["a negative --port", ["emulator", "--port", "-1"], 'error: decom emulator: --port must be a port number from 0 to 65535, got "-1"'],
  // A value given to a switch.
  ["--json=yes", ["plan", "--json=yes"], "error: decom plan: --json takes no value: write --json, not --json=yes"],
  [
    "--auto-approve=true",
    ["apply", "--auto-approve=true"],
    "error: decom apply: --auto-approve takes no value: write --auto-approve, not --auto-approve=true",
  ],
  // Unknown flags and arguments.
  [
    "a misspelt flag",
    ["plan", "--detailed-exit-code"],
    "error: decom plan: unknown flag --detailed-exit-code (did you mean --detailed-exitcode?); see decom plan --help",
  ],
  ["a flag of another command", ["plan", "--parallelism", "4"], "error: decom plan: unknown flag --parallelism; see decom plan --help"],
  ["an unknown short flag", ["plan", "-x"], "error: decom plan: unknown flag -x; see decom plan --help"],
  [
    "an argument to plan",
    ["plan", "extra"],
    'error: decom plan: unexpected argument "extra"; decom plan takes no arguments (see decom plan --help)',
  ],
  [
    "a second plan file",
    ["apply", "a.json", "b.json"],
    'error: decom apply: unexpected argument "b.json"; decom apply takes one argument at most (see decom apply --help)',
  ],
  // Durations need a unit, and more than nothing.
  [
    "a duration without a unit",
    ["plan", "--request-timeout", "30"],
    'error: decom plan: --request-timeout needs a unit: --request-timeout 30s (ms, s, m or h), got "30"',
  ],
  [
    "a zero duration",
    ["plan", "--request-timeout", "0"],
    'error: decom plan: --request-timeout must be longer than zero, e.g. --request-timeout 30s, got "0"',
  ],
  [
    "a zero duration with a unit",
    ["plan", "--batch-timeout", "0s"],
    'error: decom plan: --batch-timeout must be longer than zero, e.g. --batch-timeout 30m, got "0s"',
  ],
  [
    "a duration that is not one",
    ["apply", "--auto-approve", "--unacknowledged-grace", "soon"],
    'error: decom apply: --unacknowledged-grace must be a duration such as 30s, 500ms, 2m or 1h, got "soon"',
  ],
  [
    "a duration beyond what a timer holds",
    ["plan", "--request-timeout", "99999999999999999s"],
    'error: decom plan: --request-timeout must be at most 596h, got "99999999999999999s"',
  ],
  // Terraform habits: single-dash long flags.
  ["-out=plan.json", ["plan", "-out=plan.json"], "error: decom plan: unknown flag -out=plan.json; decom spells it --out plan.json"],
  ["-out plan.json", ["plan", "-out", "plan.json"], "error: decom plan: unknown flag -out; decom spells it --out plan.json"],
  [
    "-out= with a space in the name",
    ["plan", "-out=my plan.json"],
    "error: decom plan: unknown flag -out=my plan.json; decom spells it --out 'my plan.json'",
  ],
  [
    "-detailed-exitcode",
    ["plan", "-detailed-exitcode"],
    "error: decom plan: unknown flag -detailed-exitcode; decom spells it --detailed-exitcode",
  ],
  ["-auto-approve", ["apply", "-auto-approve"], "error: decom apply: unknown flag -auto-approve; decom spells it --auto-approve"],
  ["-target=X", ["plan", "-target=gw-1"], "error: decom plan: unknown flag -target=gw-1; decom spells it --target gw-1"],
  ["-state=x", ["plan", "-state=x.json"], "error: decom plan: unknown flag -state=x.json; decom spells it --state x.json"],
  ["-json", ["plan", "-json"], "error: decom plan: unknown flag -json; decom spells it --json"],
  ["-no-color", ["show", "-no-color", "plan.json"], "error: decom show: unknown flag -no-color; decom spells it --no-color"],
  ["-parallelism=4", ["apply", "-parallelism=4"], "error: decom apply: unknown flag -parallelism=4; decom spells it --parallelism 4"],
  // Terraform flags decom has no counterpart for: what decom does instead, never read as -f plus a file name.
  [
    "force-unlock -force",
    ["force-unlock", "-force"],
    "error: decom force-unlock: -force is a Terraform flag; decom force-unlock needs none (it refuses while the holder runs)",
  ],
  [
    "force-unlock --force",
    ["force-unlock", "--force"],
    "error: decom force-unlock: --force is a Terraform flag; decom force-unlock needs none (it refuses while the holder runs)",
  ],
  ["apply -force", ["apply", "-force"], "error: decom apply: -force is a Terraform flag; decom apply asks for yes unless --auto-approve"],
  [
    "-lock=false",
    ["plan", "-lock=false"],
    "error: decom plan: -lock=false is a Terraform flag; decom always locks the state (a stale lock is removed with decom force-unlock)",
  ],
  [
    "-lock-timeout=5m",
    ["apply", "-lock-timeout=5m"],
    "error: decom apply: unknown flag -lock-timeout=5m; decom spells it --lock-timeout 5m",
  ],
  [
    "show -lock-timeout",
    ["show", "-lock-timeout=5m", "plan.json"],
    "error: decom show: -lock-timeout=5m is a Terraform flag; " +
      "decom show takes no lock, so it waits for none; plan, apply and state rm wait with --lock-timeout",
  ],
  [
    "force-unlock -lock-timeout",
    ["force-unlock", "-lock-timeout=5m"],
    "error: decom force-unlock: -lock-timeout=5m is a Terraform flag; " +
      "decom force-unlock waits for nothing: it removes a lock only once its holder is gone",
  ],
  [
    "force-unlock --lock-timeout",
    ["force-unlock", "--lock-timeout", "5s"],
    "error: decom force-unlock: --lock-timeout is not a flag of decom force-unlock; " +
      "decom force-unlock waits for nothing: it removes a lock only once its holder is gone",
  ],
  [
    "-input=false",
    ["apply", "-input=false"],
    "error: decom apply: -input=false is a Terraform flag; decom never asks for input except apply's yes: use --auto-approve",
  ],
  [
    "-refresh=false",
    ["plan", "-refresh=false"],
    "error: decom plan: -refresh=false is a Terraform flag; decom plan always reads the tenant: that is what it compares the manifest with",
  ],
  [
    "-var",
    ["plan", "-var", "x=1"],
    "error: decom plan: -var is a Terraform flag; a decom manifest has no variables: write one manifest per case and choose it with -f",
  ],
  [
    "-var-file",
    ["plan", "-var-file=prod.tfvars"],
    "error: decom plan: -var-file=prod.tfvars is a Terraform flag; " +
      "a decom manifest has no variables: write one manifest per case and choose it with -f",
  ],
  [
    "-compact-warnings",
    ["plan", "-compact-warnings"],
    "error: decom plan: -compact-warnings is a Terraform flag; decom's warnings are one line each already",
  ],
  // A file name that starts with a dash reads as a flag: say how to give it.
  [
    "init -f -weird.yaml",
    ["init", "-f", "-weird.yaml"],
    "error: decom init: -f/--manifest -weird.yaml: a file name that starts with a dash is written " +
      "--manifest=-weird.yaml or -f ./-weird.yaml",
  ],
  [
    "--out -plan.json",
    ["plan", "--out", "-plan.json"],
    "error: decom plan: --out -plan.json: a file name that starts with a dash is written --out=-plan.json or --out ./-plan.json",
  ],
  [
    "a misspelt single-dash flag",
    ["apply", "-auto-aprove"],
    "error: decom apply: unknown flag -auto-aprove (did you mean --auto-approve?); see decom apply --help",
  ],
];

for (const [why, args, expected] of cases) {
  test(`${why}: ${JSON.stringify(expected)}, exit 1, nothing sent`, async ({ emulator, dir }) => {
    const result = await decom(args, { cwd: dir, endpoint: emulator.url });
    for (const words of PARSE_ARGS_WORDING) assert.not.match(result.stderr, words, `no parseArgs wording in: ${result.stderr}`);
    assertOneLine(result, expected);
    assert.is(emulator.requests.length, 0, "no HTTP request");
    assert.not.ok(existsSync(join(dir, "decom.state.json")), "no state written");
  });
}

test("with --json, a flag error is a diagnostic line on stdout", async ({ emulator, dir }) => {
  const result = await decom(["plan", "--json", "--out"], { cwd: dir, endpoint: emulator.url });
  assert.is(result.code, 1);
  assert.is(result.stderr, "");
  const lines = result.stdout
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as { type: string; summary: string });
  assert.equal(
    lines.map((l) => [l.type, l.summary]),
    [["diagnostic", "decom plan: --out needs a file name: --out plan.json"]],
  );
  assert.is(emulator.requests.length, 0);
});

test("the forms decom accepts still work: -fFILE, --flag=value, a value starting with a dash after =, durations with units", async ({
  emulator,
  dir,
}) => {
  writeFileSync(join(dir, "other.yaml"), manifestYaml(["dev-0002"]));
  for (const args of [["-f", "other.yaml"], ["-fother.yaml"], ["--manifest=other.yaml"], ["--manifest", "other.yaml"]]) {
    const validate = await decom(["validate", ...args], { cwd: dir });
    assert.is(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, /^other\.yaml is valid/, args.join(" "));
  }
  for (const args of [["--manifest=-weird.yaml"], ["-f", "./-weird.yaml"]]) {
    const init = await decom(["init", ...args], { cwd: dir });
    assert.is(init.code, 0, init.stderr);
    assert.ok(existsSync(join(dir, "-weird.yaml")), args.join(" "));
    rmSync(join(dir, "-weird.yaml"));
  }
  const plan = await decom(
    [
      "plan",
      "--out=p.json",
      "--request-timeout",
      "1500ms",
      "--batch-timeout=2m",
      "--unacknowledged-grace",
      "1h",
      "--target=dev-0001",
      "--",
    ],
    {
      cwd: dir,
      endpoint: emulator.url,
    },
  );
  assert.is(plan.code, 0, plan.stderr);
  assert.ok(existsSync(join(dir, "p.json")));
});

test.run();
