/** decom as a real child process, for what only a process can show: signals, SIGKILL, exit codes, locks. */
import { spawn, type ChildProcess } from "node:child_process";
import { temporaryHome } from "./home.js";

const main = new URL("../../src/main.ts", import.meta.url).pathname;
const tsx = new URL("../../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href;
/** What `npm run build` makes and `bin.decom` in package.json names: the executable users install. */
export const BUILT_MAIN = new URL("../../dist/main.js", import.meta.url).pathname;

/** `source`: src/main.ts through tsx, no build needed; `built`: plain node on dist/main.js (see helpers/build.ts). */
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

export function spawnDecom(args: string[], cwd: string, env: Record<string, string> = {}, entry: Entry = "source"): DecomChild {
  const home = temporaryHome();
  const command = entry === "built" ? [BUILT_MAIN] : ["--import", tsx, main];
  const child = spawn(process.execPath, [...command, ...args], { cwd, env: { PATH: process.env.PATH ?? "", ...home.env, ...env } });
  child.on("close", () => home.remove());
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<ChildResult>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { process: child, output: () => ({ stdout, stderr }), done };
}

export function runDecom(args: string[], cwd: string, env: Record<string, string> = {}, entry: Entry = "source"): Promise<ChildResult> {
  return spawnDecom(args, cwd, env, entry).done;
}

/** Resolves when `predicate` holds, checking every 10 ms; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 15_000, what = "condition"): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
