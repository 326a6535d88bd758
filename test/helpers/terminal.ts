/**
 * decom under a pseudo-terminal, through `script` from util-linux: stdout and
 * stdin are a real TTY, as for an operator at a terminal. What the terminal
 * received is captured; keystrokes are written to `input`.
 */
import { spawn } from "node:child_process";
import { COVERAGE_ENV } from "./child.js";
import { temporaryHome } from "./home.js";
import { SOURCE_MAIN, TSX_LOADER } from "./paths.js";

export interface TerminalRun {
  screen(): string;
  type(text: string): void;
  done: Promise<number | null>;
}

export function inTerminal(args: string[], cwd: string, env: Record<string, string>): TerminalRun {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // `exec`: decom replaces the shell, so a Ctrl-C typed reaches decom alone and the exit code is decom's.
  const command = `exec ${[process.execPath, "--import", TSX_LOADER, SOURCE_MAIN, ...args].map(quote).join(" ")}`;
  const home = temporaryHome();
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...COVERAGE_ENV, SHELL: "/bin/sh", TERM: "xterm", ...home.env, ...env },
  });
  child.on("close", () => home.remove());
  let screen = "";
  child.stdout.on("data", (d) => (screen += d));
  child.stderr.on("data", (d) => (screen += d));
  return {
    screen: () => screen,
    type: (text) => child.stdin.write(text),
    done: new Promise((resolve) => child.on("close", (code) => resolve(code))),
  };
}
