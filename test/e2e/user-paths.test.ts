/**
 * A path or port the user gave that cannot work is said in one line naming it,
 * never as "a bug in decom", and, where it can be known up front, before any
 * request: a plan is not made only to be lost at the end (issue 10, item 4).
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { localDisk, type AppendLog, type Disk } from "../../src/files/disk.js";
import { assertOneLine, decom, manifestYaml, workspace, type DecomResult } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: unusable paths and ports given by the user");

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({ seed: world(devices("dev", 3)) });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace({ "decom.yaml": manifestYaml(["dev-0001"]), "a-file": "" }));
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

/** One line, exactly `expected`, and never decom's bug report. */
function assertUserError(result: DecomResult, expected: string): void {
  assert.not.match(result.stderr, "unexpected failure");
  assertOneLine(result, expected);
}

/** Writes fail with `code` in every path under `folder` (tests run as root, which no permission stops). */
class FailingFolder implements Disk {
  constructor(
    private readonly folder: string,
    private readonly code: "EACCES" | "ENOSPC",
    private readonly failCreate = true,
  ) {}
  private check(syscall: string, path: string): void {
    if (!path.startsWith(this.folder + sep)) return;
    throw Object.assign(new Error(`${this.code}: failed, ${syscall} '${path}'`), { code: this.code, syscall, path });
  }
  readText(path: string): string | undefined {
    return localDisk.readText(path);
  }
  readBytes(path: string): Buffer {
    return localDisk.readBytes(path);
  }
  readPieces(path: string): Iterable<Buffer> | undefined {
    return localDisk.readPieces(path);
  }
  size(path: string): number | undefined {
    return localDisk.size(path);
  }
  createNew(path: string, content: string): boolean {
    if (this.failCreate) this.check("open", path);
    return localDisk.createNew(path, content);
  }
  writeAtomic(path: string, content: string | Iterable<string>): void {
    this.check("open", path);
    localDisk.writeAtomic(path, content);
  }
  openLog(path: string): AppendLog {
    this.check("open", path);
    return localDisk.openLog(path);
  }
  truncate(path: string, length: number): void {
    this.check("open", path);
    localDisk.truncate(path, length);
  }
  remove(path: string): void {
    localDisk.remove(path);
  }
}

const outCases: [out: string, expected: string][] = [
  [
    "/nonexistent/dir/plan.json",
    "error: --out /nonexistent/dir/plan.json: the folder /nonexistent/dir does not exist; create it first, or choose another path",
  ],
  ["nowhere/plan.json", "error: --out nowhere/plan.json: the folder nowhere does not exist; create it first, or choose another path"],
  ["a-file/plan.json", "error: --out a-file/plan.json: a-file is a file, not a folder"],
  [".", "error: --out .: that is a folder; name a file in it, e.g. --out plan.json"],
  ["plans", "error: --out plans: that is a folder; name a file in it, e.g. --out plans/plan.json"],
  ["new-plans/", "error: --out new-plans/: that is a folder; name a file in it, e.g. --out new-plans/plan.json"],
];

for (const [out, expected] of outCases) {
  test(`plan --out ${out}: refused before any request`, async ({ emulator, dir }) => {
    mkdirSync(join(dir, "plans"));
    const result = await decom(["plan", "--out", out], { cwd: dir, endpoint: emulator.url });
    assertUserError(result, expected);
    assert.is(emulator.requests.length, 0, "no HTTP request");
    assert.not.ok(existsSync(join(dir, "decom.state.json")), "no state written");
    assert.not.ok(existsSync(join(dir, "new-plans")), "nothing written where the folder was named");
  });
}

test("plan --out naming a device or pipe is refused: the plan's rename would replace it with a file", async ({ emulator, dir }) => {
  // A FIFO stands for /dev/null and the like; as root, a rename onto /dev/null itself would replace it.
  assert.is(spawnSync("mkfifo", [join(dir, "pipe")]).status, 0, "mkfifo is available");
  symlinkSync("pipe", join(dir, "link-to-pipe"));
  for (const out of ["pipe", "link-to-pipe"]) {
    const result = await decom(["plan", "--out", out], { cwd: dir, endpoint: emulator.url });
    assertUserError(result, `error: --out ${out}: that is not a regular file; name a file, e.g. --out plan.json`);
  }
  assert.ok(lstatSync(join(dir, "pipe")).isFIFO(), "the pipe is still a pipe");
  assert.is(emulator.requests.length, 0, "no HTTP request");
});

test("plan --out in a folder decom may not write: refused before any request, nothing left behind", async ({ emulator, dir }) => {
  mkdirSync(join(dir, "ro"));
  const result = await decom(["plan", "--out", "ro/plan.json"], {
    cwd: dir,
    endpoint: emulator.url,
    disk: new FailingFolder(join(dir, "ro"), "EACCES"),
  });
  assertUserError(result, "error: --out ro/plan.json: permission denied (the folder is not writable)");
  assert.is(emulator.requests.length, 0, "no HTTP request");
  assert.equal(readdirSync(join(dir, "ro")), []);
});

test("plan --out that cannot be written at the end (a full disk) is one line naming it", async ({ emulator, dir }) => {
  mkdirSync(join(dir, "full"));
  const result = await decom(["plan", "--out", "full/plan.json"], {
    cwd: dir,
    endpoint: emulator.url,
    disk: new FailingFolder(join(dir, "full"), "ENOSPC", false),
  });
  assert.not.match(result.stderr, "unexpected failure");
  assert.is(result.code, 1);
  assert.is(result.stderr, "error: cannot write full/plan.json: no space left on the device\n");
});

test("--state in a folder that does not exist, or under a file: plan and apply name it before any request", async ({ emulator, dir }) => {
  for (const command of [["plan"], ["apply", "--auto-approve"]]) {
    assertUserError(
      await decom([...command, "--state", "nowhere/decom.state.json"], { cwd: dir, endpoint: emulator.url }),
      "error: --state nowhere/decom.state.json: the folder nowhere does not exist; create it first, or choose another path",
    );
    assertUserError(
      await decom([...command, "--state", "a-file/s.json"], { cwd: dir, endpoint: emulator.url }),
      "error: --state a-file/s.json: a-file is a file, not a folder",
    );
  }
  assert.is(emulator.requests.length, 0, "no HTTP request");
  assert.not.ok(existsSync(join(dir, "nowhere")));
});

test("init -f into a folder that does not exist names the folder and writes nothing", async ({ dir }) => {
  assertUserError(
    await decom(["init", "-f", "sub/dir/x.yaml"], { cwd: dir }),
    "error: cannot write sub/dir/x.yaml: the folder sub/dir does not exist; create it first (decom init creates no folders)",
  );
  assert.not.ok(existsSync(join(dir, "sub")));
  assert.not.ok(existsSync(join(dir, ".gitignore")));
});

test("emulator --port on a port in use: one line naming the port, exit 1", async ({ emulator, dir }) => {
  const port = new URL(emulator.url).port;
  assertUserError(
    await decom(["emulator", "--port", port], { cwd: dir }),
    `error: port ${port} on 127.0.0.1 is already in use; choose another with --port (--port 0 picks a free one)`,
  );
});

test("emulator --port that is no port, --generate that is no count", async ({ dir }) => {
  for (const port of ["70000", "1.5", "http"]) {
    assertUserError(
      await decom(["emulator", "--port", port], { cwd: dir }),
      `error: decom emulator: --port must be a port number from 0 to 65535, got "${port}"`,
    );
  }
  assertUserError(
    await decom(["emulator", "--generate", "1.5"], { cwd: dir }),
    'error: decom emulator: --generate must be a whole number, got "1.5"',
  );
});

test("emulator --seed that is missing, a folder, or not YAML: named as given", async ({ dir }) => {
  writeFileSync(join(dir, "bad.yaml"), "resources: [\n");
  assertUserError(await decom(["emulator", "--seed", "missing.json"], { cwd: dir }), "error: --seed missing.json: no such file");
  assertUserError(await decom(["emulator", "--seed", "."], { cwd: dir }), "error: --seed .: it is a directory, not a file");
  assertUserError(
    await decom(["emulator", "--seed", "bad.yaml"], { cwd: dir }),
    "bad.yaml:2:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  );
});

test("emulator --seed that is prose, or YAML that is no world: one whole line naming the file, line and column", async ({ dir }) => {
  writeFileSync(join(dir, "README.md"), "# Title\n\nsome: text: here\n- x\n");
  assertUserError(
    await decom(["emulator", "--seed", "README.md"], { cwd: dir }),
    "README.md:3:7: invalid YAML: Nested mappings are not allowed in compact mappings",
  );
  writeFileSync(join(dir, "notes.txt"), "just some words\n");
  assertUserError(
    await decom(["emulator", "--seed", "notes.txt"], { cwd: dir }),
    "error: --seed notes.txt is not a world: it needs resources: and resourceTypes: lists (see examples/world.json)",
  );
});

test("emulator --seed, --generate, --generate-realistic: refused together, since only one can give the world", async ({ dir }) => {
  writeFileSync(join(dir, "world.json"), JSON.stringify({ resources: [] }));
  assertUserError(
    await decom(["emulator", "--generate", "5", "--seed", "world.json"], { cwd: dir }),
    "error: decom emulator: --seed and --generate both give the emulator its world; use one",
  );
  assertUserError(
    await decom(["emulator", "--generate-realistic", "5", "--generate", "5"], { cwd: dir }),
    "error: decom emulator: --generate and --generate-realistic both give the emulator its world; use one",
  );
  assertUserError(
    await decom(["emulator", "--generate-realistic", "many"], { cwd: dir }),
    'error: decom emulator: --generate-realistic must be a whole number, got "many"',
  );
});

test.run();
