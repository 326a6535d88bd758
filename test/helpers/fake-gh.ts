/**
 * A stand-in for the GitHub CLI, run as `gh` by the example workflows' tests
 * (FakeGitHub in workflow.ts installs it): for the calls the examples make, it
 * answers what GitHub would from a folder the test writes, failures included
 * (no pull request, no run, no artifact), and prints `--jq` results as gh does
 * (null as an empty line). Any other call fails, so that a workflow calling gh
 * differently fails its test rather than passing on a guess.
 *
 *   node --import tsx fake-gh.ts FOLDER ARGS…
 *
 * FOLDER/pulls/SHA: the number of the pull request merged as commit SHA;
 * FOLDER/branches/NUMBER: its head branch; FOLDER/runs/BRANCH: the id of the
 * branch's latest pull_request run; FOLDER/artifacts/RUN/NAME/: its artifacts.
 */
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [folder = "", ...args] = process.argv.slice(2);
const positional: string[] = [];
const flags = new Map<string, string>();
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg.startsWith("--")) flags.set(arg.slice(2), args[++i] ?? "");
  else positional.push(arg);
}

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const read = (...path: string[]) => (existsSync(join(folder, ...path)) ? readFileSync(join(folder, ...path), "utf8").trim() : undefined);

/** `data` through `--jq`, for the forms the examples use: `.key`, `.[0].key`, optionally `// empty`. */
function print(data: unknown): void {
  const jq = flags.get("jq");
  if (jq === undefined) return void process.stdout.write(`${JSON.stringify(data)}\n`);
  const form = /^((?:\.\[\d+\]|\.\w+)+)( \/\/ empty)?$/.exec(jq);
  if (!form) fail(`fake gh: --jq ${jq} is not a form this stand-in evaluates`, 2);
  let value: unknown = data;
  for (const [, index, key] of form[1]!.matchAll(/\.\[(\d+)\]|\.(\w+)/g)) {
    value = value === null || value === undefined ? null : (value as Record<string, unknown>)[index ?? key!];
  }
  if (value === undefined) value = null;
  if (value === null && form[2]) return;
  process.stdout.write(`${value === null ? "" : String(value)}\n`);
}

if (!process.env.GH_TOKEN) fail("gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable.", 4);
const [command, subcommand, target] = positional;
const pulls = /^repos\/[\w.-]+\/[\w.-]+\/commits\/([0-9a-f]{40})\/pulls$/;

if (command === "api" && subcommand !== undefined && pulls.test(subcommand)) {
  const number = read("pulls", pulls.exec(subcommand)![1]!);
  print(number === undefined ? [] : [{ number: Number(number) }]);
} else if (command === "pr" && subcommand === "view" && flags.get("json") === "headRefName") {
  // An empty selector is no selector: gh looks for a pull request of the branch checked out.
  if (!target) fail('no pull requests found for branch "main"');
  const branch = read("branches", target);
  if (branch === undefined) fail(`GraphQL: Could not resolve to a PullRequest with the number of ${target}. (repository.pullRequest)`);
  print({ headRefName: branch });
} else if (command === "run" && subcommand === "list" && flags.get("json") === "databaseId") {
  if (!flags.get("workflow") || flags.get("event") !== "pull_request" || flags.get("limit") !== "1" || !flags.get("branch"))
    fail(`fake gh: run list ${args.join(" ")} is not a call this stand-in answers`, 2);
  const run = read("runs", flags.get("branch")!);
  print(run === undefined ? [] : [{ databaseId: Number(run) }]);
} else if (command === "run" && subcommand === "download" && flags.get("name") && flags.get("dir")) {
  if (!target) fail("run or job ID required when not running interactively");
  const artifact = join(folder, "artifacts", target, flags.get("name")!);
  if (!existsSync(artifact)) fail("no artifact matches any of the names or patterns provided");
  cpSync(artifact, flags.get("dir")!, { recursive: true });
} else {
  fail(`fake gh: gh ${args.join(" ")} is not a call this stand-in answers`, 2);
}
