/**
 * The example GitHub Actions workflows, run for real: each job's shell steps in
 * order, with step outputs, `if:` conditions and the few `${{ }}` expressions
 * the examples use evaluated from contexts the test gives. The GitHub-specific
 * steps (id `gh-…`) are stood in for: actions/checkout by a clone made as the
 * action makes it, artifacts by folders, the GitHub CLI by test/helpers/fake-gh.ts.
 */
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { SOURCE_MAIN, TSX_LOADER } from "./paths.js";

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
export type Permissions = Record<string, "read" | "write">;
export interface Job {
  if?: string;
  needs?: string;
  permissions?: Permissions;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: { "fail-fast"?: boolean; matrix?: { include?: unknown } };
  concurrency?: { group: string; "cancel-in-progress": boolean };
  defaults?: { run: { "working-directory": string } };
  steps: Step[];
}
export interface Workflow {
  name: string;
  on: Record<string, { branches?: string[]; paths?: string[] }>;
  permissions?: Permissions;
  env?: Record<string, string>;
  defaults?: { run: { "working-directory": string } };
  jobs: Record<string, Job>;
}

/** examples/github-actions/`name`, parsed. */
export function readWorkflow(name: string): Workflow {
  return parse(readFileSync(new URL(`../../examples/github-actions/${name}`, import.meta.url), "utf8")) as Workflow;
}

/** Runs `script` as GitHub runs a `run:` step with `shell: bash`; stdout and stderr interleaved in `output`. */
export function sh(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Stands in for the gh-install step: a `decom` in `bin` that runs this
 * checkout's decom. With `pids`, each run appends its process id to that file
 * first, so that a test can kill the one it means (the id is decom's own: exec).
 */
export function installDecom(bin: string, pids?: string): void {
  mkdirSync(bin, { recursive: true });
  const record = pids === undefined ? "" : `echo $$ >> "${pids}"\n`;
  writeFileSync(join(bin, "decom"), `#!/bin/sh\n${record}exec "${process.execPath}" --import "${TSX_LOADER}" "${SOURCE_MAIN}" "$@"\n`);
  chmodSync(join(bin, "decom"), 0o755);
}

/** What expressions read: `matrix`, `secrets`, `vars`, `github`, `steps`… */
export type Contexts = Record<string, unknown>;

/**
 * `text` with each `${{ … }}` evaluated as GitHub would. Understood: property
 * paths (`matrix.tenant`), an index by `format` (`secrets[format('{0}_API_KEY',
 * matrix.secrets)]`) and `a || b`; anything else fails the test. A missing
 * value is '', as in GitHub.
 */
export function expand(text: string, contexts: Contexts): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
    for (const term of expression.split("||")) {
      const value = evaluate(term.trim(), contexts);
      if (value !== "") return value;
    }
    return "";
  });
}

/** Each value of `record` expanded. */
export function expandAll(record: Record<string, string> | undefined, contexts: Contexts): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, expand(String(v), contexts)]));
}

function evaluate(term: string, contexts: Contexts): string {
  const indexed = /^(\w+)\[format\('([^']*)', ([\w.-]+)\)\]$/.exec(term);
  if (indexed) return lookup(contexts, [indexed[1]!, indexed[2]!.replace("{0}", lookup(contexts, indexed[3]!.split(".")))]);
  assert.match(term, /^\w+(\.[\w-]+)+$/, `the test understands the expression ${term}`);
  return lookup(contexts, term.split("."));
}

function lookup(contexts: Contexts, path: string[]): string {
  let value: unknown = contexts;
  for (const key of path) {
    value = value !== null && typeof value === "object" && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value === undefined || value === null ? "" : String(value);
}

export interface StepsOptions {
  cwd: string;
  /** The environment of every step: PATH, HOME, GITHUB_*, the workflow's and the job's env. */
  env: Record<string, string>;
  /** Where steps write their outputs (GITHUB_OUTPUT); one per job run. */
  outputFile: string;
  /** For the steps' own `env:`. */
  contexts: Contexts;
  /** Stands in for a GitHub-specific step. */
  gh: (step: Step) => void | Promise<void>;
}

export interface StepsRun {
  ok: boolean;
  log: string;
  /** Step id → its outputs. */
  outputs: Record<string, Record<string, string>>;
}

/** Runs `steps` in order; a failed step skips the rest but for `if: always()` (and `failure()`) ones, as GitHub does. */
export async function runSteps(steps: Step[], options: StepsOptions): Promise<StepsRun> {
  const outputs: Record<string, Record<string, string>> = {};
  let ok = true;
  let log = "";
  for (const step of steps) {
    if (!shouldRun(step.if, ok, outputs)) continue;
    if (step.id?.startsWith("gh-")) {
      await options.gh(step);
      continue;
    }
    assert.ok(step.run, `step ${step.name ?? step.id} runs something`);
    assert.not.match(step.run!, "${{", "run scripts take GitHub values through env only");
    writeFileSync(options.outputFile, "");
    const env = { ...options.env, GITHUB_OUTPUT: options.outputFile, ...expandAll(step.env, options.contexts) };
    const result = await sh(step.run!, options.cwd, env);
    log += `--- ${step.name}\n${result.output}`;
    if (step.id) {
      outputs[step.id] = Object.fromEntries(
        readFileSync(options.outputFile, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      );
    }
    if (result.code !== 0) ok = false;
  }
  return { ok, log, outputs };
}

function shouldRun(condition: string | undefined, ok: boolean, outputs: StepsRun["outputs"]): boolean {
  if (condition === "always()") return true;
  if (condition === "failure()") return !ok;
  if (!ok) return false;
  // hashFiles() conditions guard gh- steps, which look for the files themselves.
  if (condition === undefined || condition.startsWith("hashFiles(")) return true;
  const match = /^steps\.([\w-]+)\.outputs\.(\w+) == '(.*)'$/.exec(condition);
  assert.ok(match, `the test understands the condition ${condition}`);
  return outputs[match![1]!]?.[match![2]!] === match![3];
}

/** The event a workflow run is for, as a test gives it. */
export interface GitHubEvent {
  name: "pull_request" | "push";
  /** github.sha: the merge commit of a pull request, the pushed commit. A re-run of a job keeps it. */
  sha: string;
  /** github.event: `{ pull_request: { base: { sha } } }`, `{ before }`… */
  payload: Record<string, unknown>;
}

export const REPOSITORY = "acme/fleet";
/** git as the workflow tests' developer commits with it. */
export const GIT_AS_DEV = "git -c user.name=dev -c user.email=dev@example.com";

/** The `github` context of a run for `event`: pull request #7, or a push to main. */
export function githubContext(event: GitHubEvent) {
  const ref = event.name === "pull_request" ? "refs/pull/7/merge" : "refs/heads/main";
  return {
    event_name: event.name,
    ref,
    ref_name: event.name === "pull_request" ? "7/merge" : "main",
    sha: event.sha,
    repository: REPOSITORY,
    token: "ghs_test-token",
    event: event.payload,
  };
}

/**
 * Stands in for actions/checkout: a clone of `origin` in `where`. With the
 * step's `ref` (a branch), at that branch's tip; without, as the action does, at
 * github.sha, on the branch github.ref names (origin's branch set to that
 * commit, as the action fetches it) or detached for a pull request's merge ref.
 */
export async function checkout(step: Step, origin: string, where: string, contexts: Contexts): Promise<void> {
  const github = contexts.github as { ref: string; sha: string };
  const ref = expand(String(step.with?.ref ?? ""), contexts);
  const branch = /^refs\/heads\/(.+)$/.exec(github.ref)?.[1];
  const commands = [`git clone -q --no-checkout "${origin}" "${where}"`, `cd "${where}"`];
  if (ref) commands.push(`git checkout -q -B "${ref}" "origin/${ref}"`);
  else if (branch)
    commands.push(`git update-ref "refs/remotes/origin/${branch}" ${github.sha}`, `git checkout -q -B "${branch}" "origin/${branch}"`);
  else commands.push(`git checkout -q --detach ${github.sha}`);
  const result = await sh(commands.join(" && "), dirname(where), { PATH: process.env.PATH ?? "" });
  assert.is(result.code, 0, result.output);
}

/**
 * GitHub as the examples' `gh` calls see it: merged pull requests, pull request
 * runs and their artifacts, kept in a folder that test/helpers/fake-gh.ts, put
 * on PATH as `gh`, answers from.
 */
export class FakeGitHub {
  private runs = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Puts the fake `gh` in `bin`. */
  install(bin: string): void {
    mkdirSync(bin, { recursive: true });
    const script = new URL("./fake-gh.ts", import.meta.url).pathname;
    writeFileSync(join(bin, "gh"), `#!/bin/sh\nexec "${process.execPath}" --import "${TSX_LOADER}" "${script}" "${this.dir}" "$@"\n`);
    chmodSync(join(bin, "gh"), 0o755);
  }

  /** A new run of the workflow for a pull request from `branch`, now its latest: its id. */
  pullRequestRun(branch: string): string {
    const id = String(++this.runs + 9000);
    this.write(["runs", branch], id);
    return id;
  }

  /** Pull request `number`, from `branch`, was merged as commit `sha`. */
  merged(sha: string, number: number, branch: string): void {
    this.write(["pulls", sha], String(number));
    this.write(["branches", String(number)], branch);
  }

  /** actions/upload-artifact: the files `pattern` (a path, or a name ending in `*`) matches, kept in run `run` as `name`. */
  upload(run: string, name: string, pattern: string): string[] {
    const files = pattern.endsWith("*")
      ? (existsSync(dirname(pattern)) ? readdirSync(dirname(pattern)) : [])
          .filter((f) => f.startsWith(basename(pattern).slice(0, -1)))
          .map((f) => join(dirname(pattern), f))
      : [pattern].filter((f) => existsSync(f));
    for (const file of files) {
      mkdirSync(this.artifact(run, name), { recursive: true });
      copyFileSync(file, join(this.artifact(run, name), basename(file)));
    }
    return files.map((f) => basename(f));
  }

  /** The folder holding run `run`'s artifact `name`. */
  artifact(run: string, name: string): string {
    return join(this.dir, "artifacts", run, name);
  }

  private write(path: string[], text: string): void {
    mkdirSync(join(this.dir, ...path.slice(0, -1)), { recursive: true });
    writeFileSync(join(this.dir, ...path), `${text}\n`);
  }
}

export interface JobOptions {
  /** Where actions/checkout clones the repository: this job's runner, a folder of its own. */
  where: string;
  origin: string;
  event: GitHubEvent;
  /** `secrets`, `vars`, `matrix`, as the job reads them. */
  contexts: Contexts;
  /** PATH's first folder: decom (installDecom) and gh (FakeGitHub.install). */
  bin: string;
  github: FakeGitHub;
  /** The id of the workflow run this job is part of: what it uploads is kept there. */
  run: string;
  /** Called after each GitHub-specific step: where a test acts while the job runs (another push to main…). */
  after?: (step: Step) => void | Promise<void>;
}

export interface JobRun extends StepsRun {
  /** The job's working directory. */
  cwd: string;
  /** What the sticky comment step would post. */
  comment?: string;
  /** Artifact name → files uploaded. */
  uploaded: Record<string, string[]>;
  /** The folder holding the artifact `name` this job uploaded. */
  artifact: (name: string) => string;
}

/** Job `name` of `workflow`, run as GitHub would on a runner of its own, with its gh- steps stood in for. */
export async function runJob(workflow: Workflow, name: string, options: JobOptions): Promise<JobRun> {
  const job = workflow.jobs[name]!;
  assert.ok(job, `the workflow has a job ${name}`);
  const github = githubContext(options.event);
  const contexts = { ...options.contexts, github };
  const defaults = job.defaults ?? workflow.defaults;
  const cwd = join(options.where, expand(defaults?.run["working-directory"] ?? ".", contexts));
  const given = (step: Step, key: string) => expand(String(step.with?.[key] ?? ""), contexts);
  let comment: string | undefined;
  const uploaded: Record<string, string[]> = {};
  const run = await runSteps(job.steps, {
    cwd,
    env: {
      PATH: `${options.bin}:${process.env.PATH ?? ""}`,
      HOME: dirname(options.where),
      GITHUB_SHA: github.sha,
      GITHUB_REF: github.ref,
      GITHUB_REF_NAME: github.ref_name,
      GITHUB_REPOSITORY: github.repository,
      GITHUB_WORKFLOW: workflow.name,
      ...expandAll(workflow.env, contexts),
      ...expandAll(job.env, contexts),
    },
    outputFile: `${options.where}.github-output`,
    contexts,
    gh: async (step) => {
      const action = step.uses?.replace(/@.*$/, "");
      if (action === "actions/checkout") await checkout(step, options.origin, options.where, contexts);
      else if (action === "marocchino/sticky-pull-request-comment")
        comment = readFileSync(join(options.where, given(step, "path")), "utf8");
      else if (action === "actions/upload-artifact") {
        // No file: the action warns and keeps no artifact.
        const files = options.github.upload(options.run, given(step, "name"), join(options.where, given(step, "path")));
        if (files.length > 0) uploaded[given(step, "name")] = files;
      } else assert.ok(action === "actions/setup-node" || step.id === "gh-install", `the test stands in for step ${step.id}`);
      await options.after?.(step);
    },
  });
  const artifact = (artifactName: string) => options.github.artifact(options.run, artifactName);
  return { ...run, cwd, uploaded, artifact, ...(comment !== undefined ? { comment } : {}) };
}

/**
 * Whether a push changing `files` starts the workflow, by its `on.push.paths`
 * as GitHub reads them: a file counts if the last pattern it matches is not a
 * negation (`!…`); `*` matches within a path segment, `**` across them.
 */
export function pushTriggers(workflow: Workflow, files: string[]): boolean {
  const patterns = workflow.on.push?.paths ?? ["**"];
  const regex = (glob: string) =>
    new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*\*|\*/g, (m) => (m === "**" ? ".*" : "[^/]*"))}$`);
  return files.some((file) => {
    let counted = false;
    for (const pattern of patterns) {
      const negated = pattern.startsWith("!");
      if (regex(negated ? pattern.slice(1) : pattern).test(file)) counted = !negated;
    }
    return counted;
  });
}
