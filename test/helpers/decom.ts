/** Runs decom commands in-process, exactly as the executable does, with captured output. */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import * as assert from "uvu/assert";
import { run } from "../../src/cli/run.js";
import type { Disk } from "../../src/files/disk.js";
import { temporaryHome } from "./home.js";
import { assertValid } from "./schemas.js";
import { readJsonFile } from "./json-file.js";

export interface DecomResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DecomOptions {
  cwd: string;
  endpoint?: string;
  env?: Record<string, string>;
  /** Typed at the prompt; stdin is a TTY when this is given. */
  answer?: string;
  /** Pretend stdout is a terminal. */
  tty?: boolean;
  /** Where decom writes (e.g. a CountingDisk). */
  disk?: Disk;
  /** Hears each write to stderr as it happens (e.g. to time a warning). */
  onStderr?: (text: string) => void;
}

export async function decom(args: string[], options: DecomOptions): Promise<DecomResult> {
  let stdout = "";
  let stderr = "";
  const stdin = Readable.from(options.answer !== undefined ? [`${options.answer}\n`] : []) as Readable & { isTTY?: boolean };
  stdin.isTTY = options.answer !== undefined;
  const before = jsonFiles(options.cwd);
  const home = temporaryHome();
  let code: number;
  try {
    code = await run(args, {
      stdout: { write: (text: string) => ((stdout += text), true), isTTY: options.tty === true },
      stderr: { write: (text: string) => (options.onStderr?.(text), (stderr += text), true), isTTY: false },
      stdin,
      env: {
        PATH: process.env.PATH ?? "",
        ...home.env,
        ...(options.endpoint ? { WAYLAY_GATEWAY_URL: options.endpoint } : {}),
        ...options.env,
      },
      cwd: options.cwd,
      ...(options.disk ? { disk: options.disk } : {}),
    });
  } finally {
    home.remove();
  }
  assertWrittenFilesValid(options.cwd, before);
  return { code, stdout, stderr };
}

/** Every plan or state file a command writes must validate against its published schema. */
function assertWrittenFilesValid(dir: string, before: Map<string, number>): void {
  for (const [name, mtime] of jsonFiles(dir)) {
    if (before.get(name) === mtime) continue;
    const data = readJsonFile(join(dir, name)) as Record<string, unknown>;
    if ("formatVersion" in data) assertValid("plan", data, `${name}, written by decom`);
    else if ("lineage" in data) assertValid("state", data, `${name}, written by decom`);
  }
}

function jsonFiles(dir: string): Map<string, number> {
  const files = new Map<string, number>();
  for (const name of readdirSync(dir)) {
    // A link to a file not created yet has no mtime: it is checked once its target exists.
    if (name.endsWith(".json") && existsSync(join(dir, name))) files.set(name, statSync(join(dir, name)).mtimeMs);
  }
  return files;
}

/** One line on stderr, exactly `expected`, exit 1, nothing on stdout: no stack, no "this is a bug". */
export function assertOneLine(result: DecomResult, expected: string): void {
  assert.is(result.code, 1, result.stdout);
  assert.is(result.stderr, `${expected}\n`);
  assert.is(result.stdout, "");
}

/** A fresh working folder; remove it with the returned function. */
export function workspace(files: Record<string, string> = {}): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "decom-test-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A manifest with explicit ids. */
export function manifestYaml(resources: string[], resourceTypes: string[] = [], extra = ""): string {
  const lines = ["version: 1"];
  if (extra) lines.push(extra.trimEnd());
  if (resources.length > 0) lines.push("resources:", ...resources.map((id) => `  - id: ${id}`));
  if (resourceTypes.length > 0) lines.push("resourceTypes:", ...resourceTypes.map((id) => `  - id: ${id}`));
  return lines.join("\n") + "\n";
}
