/** The benchmark's processes: the emulator (separate, as a tenant would be) and measured decom runs. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { EmulatorStats } from "../../src/emulator/server.js";
import { temporaryHome } from "../helpers/home.js";
import { readJsonFile } from "../helpers/json-file.js";

const root = new URL("../../", import.meta.url).pathname;

export interface EmulatorProcess {
  url: string;
  stats(): Promise<EmulatorStats>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(args: string[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ["--max-old-space-size=6000", join(root, "dist/decom.js"), "emulator", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on("exit", (code) => reject(new Error(`emulator exited ${code}`)));
  });
  return {
    url,
    stats: async () => (await (await fetch(`${url}/__emulator/stats`)).json()) as EmulatorStats,
    stop: () => stop(child),
  };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGINT");
  });
}

export interface Measured {
  code: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  bytesWritten: number;
}

/** Runs `decom ARGS` from dist/ in a fresh process, and reads what it cost. */
export function measureDecom(args: string[], cwd: string, env: Record<string, string>): Promise<Measured> {
  const report = join(cwd, `.measure-${Date.now()}.json`);
  const home = temporaryHome();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "test/bench/measure-cli.mjs"), report, "--", ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...home.env, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("exit", () => {
      home.remove();
      try {
        resolve(readJsonFile(report) as Measured);
      } catch (err) {
        reject(err);
      }
    });
  });
}

export function measureYamlParse(manifest: string, cwd: string): Promise<{ cpuMs: number; wallMs: number; peakRssMb: number }> {
  const report = join(cwd, `.yaml-${Date.now()}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "test/bench/yaml-parse.mjs"), manifest, report], { cwd, stdio: "inherit" });
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`yaml parse exited ${code}`));
      resolve(readJsonFile(report));
    });
  });
}
