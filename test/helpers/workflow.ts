/**
 * The example GitHub Actions workflows, run for real: each job's shell steps in
 * order, with step outputs, `if:` conditions and the few `${{ }}` expressions
 * the examples use evaluated from contexts the test gives. The GitHub-specific
 * steps (id `gh-…`) are handed to the test, which stands in for them.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
export interface Job {
  if?: string;
  needs?: string;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: { "fail-fast"?: boolean; matrix?: { include?: unknown } };
  concurrency?: { group: string; "cancel-in-progress": boolean };
  defaults?: { run: { "working-directory": string } };
  steps: Step[];
}
export interface Workflow {
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

/** Stands in for the gh-install step: a `decom` in `bin` that runs this checkout's decom. */
export function installDecom(bin: string): void {
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "decom"), `#!/bin/sh\nexec "${process.execPath}" --import "${TSX_LOADER}" "${SOURCE_MAIN}" "$@"\n`);
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
  gh: (step: Step) => void;
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
      options.gh(step);
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
