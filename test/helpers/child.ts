/** decom as a real child process, for what only a process can show: signals, SIGKILL, exit codes, locks. */
import { spawn, type ChildProcess } from "node:child_process";
import { temporaryHome } from "./home.js";
import { BUILT_MAIN, SOURCE_MAIN, TSX_LOADER } from "./paths.js";

export { BUILT_MAIN } from "./paths.js";

/**
 * Under `npm test`, c8 sets NODE_V8_COVERAGE; passing it on (and nothing else
 * of the test's environment) lets the children's run of src/ count in the coverage.
 */
export const COVERAGE_ENV: Record<string, string> = process.env.NODE_V8_COVERAGE ? { NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE } : {};

/** `source`: src/main.ts through tsx, no build needed; `built`: plain node on dist/decom.js (see helpers/build.ts). */
export type Entry = "source" | "built";

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface DecomChild {
  process: ChildProcess;
  /** Everything written so far. */
  output(): { stdout: string; stderr: string };
  done: Promise<ChildResult>;
}

export interface SpawnOptions {
  /**
   * Run as `decom ARGS | cat` in bash (with pipefail, so the exit code is
   * decom's): stdout is then an OS pipe with its 64 KiB buffer, as in CI or
   * `| jq`. Without it, Node gives the child a socket pair, whose larger buffer
   * hides output lost at exit.
   */
  throughPipe?: boolean;
  /**
   * With throughPipe: the reader lags, as a busy `jq` might. It starts reading
   * when decom has exited, or after 5 s if decom waits for it: whatever decom
   * left queued past the pipe's 64 KiB when it exited is then lost.
   */
  laggingReader?: boolean;
  /** With throughPipe: the reading command instead of `cat`, e.g. `head -1`. */
  reader?: string;
  /** Run as `decom ARGS > FILE` in bash (e.g. /dev/full, a disk with no room left). */
  stdoutTo?: string;
  /** Run as `decom ARGS 2> FILE` in bash. */
  stderrTo?: string;
  /** `built`: the executable users install (`node dist/decom.js`, see helpers/build.ts); `source` by default. */
  entry?: Entry;
}

const pipeline = (reader: string) => `set -o pipefail; "$@" | ${reader}`;
const LAGGING_PIPELINE = `set -o pipefail; done=$(mktemp)
{ "$@"; status=$?; echo "$status" > "$done"; exit "$status"; } | { for i in $(seq 50); do [ -s "$done" ] && break; sleep 0.1; done; cat; }
status=$?; rm -f "$done"; exit "$status"`;

export function spawnDecom(args: string[], cwd: string, env: Record<string, string> = {}, options: SpawnOptions = {}): DecomChild {
  const home = temporaryHome();
  const command = [process.execPath, ...(options.entry === "built" ? [BUILT_MAIN] : ["--import", TSX_LOADER, SOURCE_MAIN]), ...args];
  const [file, ...argv] = options.throughPipe
    ? ["bash", "-c", options.laggingReader ? LAGGING_PIPELINE : pipeline(options.reader ?? "cat"), "bash", ...command]
    : options.stdoutTo !== undefined
      ? ["bash", "-c", 'out=$1; shift; "$@" > "$out"', "bash", options.stdoutTo, ...command]
      : options.stderrTo !== undefined
        ? ["bash", "-c", 'err=$1; shift; "$@" 2> "$err"', "bash", options.stderrTo, ...command]
        : command;
  const child = spawn(file as string, argv, { cwd, env: { PATH: process.env.PATH ?? "", ...COVERAGE_ENV, ...home.env, ...env } });
  child.on("close", () => home.remove());
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<ChildResult>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { process: child, output: () => ({ stdout, stderr }), done };
}

export function runDecom(args: string[], cwd: string, env: Record<string, string> = {}, options: SpawnOptions = {}): Promise<ChildResult> {
  return spawnDecom(args, cwd, env, options).done;
}

/** Resolves when `predicate` holds, checking every 10 ms; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 15_000, what = "condition"): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
