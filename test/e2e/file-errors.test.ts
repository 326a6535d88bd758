/**
 * A path decom cannot use (a directory where a file belongs, a folder it may
 * not write) is the user's problem, not decom's bug: one line naming the path,
 * exit 1, nothing sent and no state written (issue 9, item 10).
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { startEmulator } from "../../src/emulator/server.js";
import { localDisk, type AppendLog, type Disk } from "../../src/files/disk.js";
import { assertOneLine, decom, manifestYaml, workspace } from "../helpers/decom.js";
import { oneDeviceSuite } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = oneDeviceSuite("e2e: unusable paths are one-line errors");

/** A folder decom may read but not write: every write fails as it does there (tests run as root, which ignores permissions). */
class ReadOnlyFolder implements Disk {
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
  createNew(path: string): boolean {
    throw permissionDenied("open", path);
  }
  writeAtomic(path: string): void {
    throw permissionDenied("open", path);
  }
  openLog(path: string): AppendLog {
    throw permissionDenied("open", path);
  }
  truncate(path: string): void {
    throw permissionDenied("open", path);
  }
  remove(path: string): void {
    throw permissionDenied("unlink", path);
  }
}

/**
 * A folder made read-only while decom runs: files already open stay writable
 * (the journal's appends go on), but nothing can be created, renamed or removed.
 */
class FolderMadeReadOnly implements Disk {
  readOnly = false;
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
    if (this.readOnly) throw permissionDenied("open", path);
    return localDisk.createNew(path, content);
  }
  writeAtomic(path: string, content: string | Iterable<string>): void {
    if (this.readOnly) throw permissionDenied("open", `${path}.tmp`);
    localDisk.writeAtomic(path, content);
  }
  openLog(path: string): AppendLog {
    if (this.readOnly) throw permissionDenied("open", path);
    return localDisk.openLog(path);
  }
  truncate(path: string, length: number): void {
    localDisk.truncate(path, length);
  }
  remove(path: string): void {
    if (this.readOnly) throw permissionDenied("unlink", path);
    localDisk.remove(path);
  }
}

function permissionDenied(syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EACCES: permission denied, ${syscall} '${path}'`), { code: "EACCES", errno: -13, syscall, path });
}

test("a folder made read-only mid-apply: the state and the lock are named, the journal keeps every outcome", async ({ dir }) => {
  const disk = new FolderMadeReadOnly();
  const emulator = await startEmulator({ seed: world(devices("dev", 6)), onBatchAccepted: () => (disk.readOnly = true) });
  try {
    writeFileSync(join(dir, "decom.yaml"), manifestYaml(devices("dev", 6).map((d) => d.id)));
    const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stdout + plan.stderr);
    const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url, disk });
    assert.is(apply.code, 1, apply.stdout + apply.stderr);
    assert.not.match(apply.stderr, "bug in decom");
    const lines = apply.stderr.trimEnd().split("\n");
    assert.equal(lines, [
      "warning: the lock decom.state.json.lock could not be removed: permission denied; " +
        "once the folder is writable again, remove it with: decom force-unlock",
      "error: cannot write decom.state.json: permission denied (the folder is not writable); " +
        "everything this run recorded is in decom.state.json.journal, " +
        "and the next apply or plan takes it from there once the folder is writable again",
    ]);
    assert.ok(existsSync(join(dir, "decom.state.json.lock")), "the lock could not be removed, and says so");
    // The folder is writable again and the lock removed: the journal holds every outcome.
    rmSync(join(dir, "decom.state.json.lock"));
    const again = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, "No changes.");
    const state = readJsonFile(join(dir, "decom.state.json"));
    assert.is(Object.values(state.resources as Record<string, { status: string }>).filter((r) => r.status === "deleted").length, 6);
  } finally {
    await emulator.close();
  }
});

test("--out naming the state, its journal, its lock or the manifest is refused before anything is sent", async ({ emulator, dir }) => {
  for (const out of ["decom.state.json", "decom.state.json.journal", "decom.state.json.lock", "decom.yaml", "./decom.yaml"]) {
    const result = await decom(["plan", "--out", out], { cwd: dir, endpoint: emulator.url });
    assert.is(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, `--out ${out} would overwrite`);
  }
  assert.is(emulator.requests.length, 0);
  assert.not.ok(existsSync(join(dir, "decom.state.json")));
  assert.is(readFileSync(join(dir, "decom.yaml"), "utf8"), manifestYaml(["dev-0001"]));
});

test("a state reached through a symbolic link is locked, and written, where it really is", async ({ emulator, dir }) => {
  mkdirSync(join(dir, "real"));
  const first = await decom(["apply", "--auto-approve", "--state", "real/s.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(first.code, 0, first.stdout + first.stderr);
  symlinkSync("real/s.json", join(dir, "link.json"));
  writeFileSync(join(dir, "real/s.json.lock"), JSON.stringify({ pid: process.pid, host: hostname(), time: "now", command: "decom apply" }));
  const held = await decom(["apply", "--auto-approve", "--state", "link.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(held.code, 1, held.stdout + held.stderr);
  assert.match(held.stderr, "the state is locked by");
  rmSync(join(dir, "real/s.json.lock"));
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0001", "dev-0002"]));
  const second = await decom(["apply", "--auto-approve", "--state", "link.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(second.code, 0, second.stdout + second.stderr);
  assert.ok(lstatSync(join(dir, "link.json")).isSymbolicLink(), "the link is still a link");
  assert.match(readFileSync(join(dir, "real/s.json"), "utf8"), '"dev-0002"');
});

test("a state link whose target does not exist yet: the first apply creates the target and keeps the link", async ({ emulator, dir }) => {
  mkdirSync(join(dir, "real"));
  symlinkSync("real/store.json", join(dir, "decom.state.json"));
  const first = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
  assert.is(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, "State written to real/store.json.");
  assert.ok(lstatSync(join(dir, "decom.state.json")).isSymbolicLink(), "the link is still a link");
  assert.ok(existsSync(join(dir, "real/store.json")), "the target was created");
});

test("a state folder that is not writable: the lock cannot be created, said in one line", async ({ emulator, dir }) => {
  for (const command of [["plan"], ["apply", "--auto-approve"]]) {
    const result = await decom(command, { cwd: dir, endpoint: emulator.url, disk: new ReadOnlyFolder() });
    assertOneLine(result, "error: cannot create the lock decom.state.json.lock: permission denied (the folder is not writable)");
  }
  assert.is(emulator.requests.length, 0);
  assert.not.ok(existsSync(join(dir, "decom.state.json")));
});

test("a state file in a folder that does not exist: the flag and the folder are named", async ({ emulator, dir }) => {
  const result = await decom(["plan", "--state", "nowhere/decom.state.json"], { cwd: dir, endpoint: emulator.url });
  assertOneLine(
    result,
    "error: --state nowhere/decom.state.json: the folder nowhere does not exist; create it first, or choose another path",
  );
  assert.is(emulator.requests.length, 0);
});

test("a journal that is a directory is named; the state is not written", async ({ emulator, dir }) => {
  mkdirSync(join(dir, "decom.state.json.journal"));
  for (const command of [["plan"], ["apply", "--auto-approve"]]) {
    const result = await decom(command, { cwd: dir, endpoint: emulator.url });
    assertOneLine(result, "error: cannot read decom.state.json.journal: it is a directory, not a file");
  }
  assert.is(emulator.requests.length, 0);
  assert.not.ok(existsSync(join(dir, "decom.state.json")));
  assert.not.ok(existsSync(join(dir, "decom.state.json.lock")), "the lock is released");
});

test("a state path that is a directory is named, and left as it is", async ({ emulator, dir }) => {
  mkdirSync(join(dir, "decom.state.json"));
  for (const command of [["plan"], ["apply", "--auto-approve"]]) {
    const result = await decom(command, { cwd: dir, endpoint: emulator.url });
    assertOneLine(result, "error: cannot read decom.state.json: it is a directory, not a file");
  }
  const validate = await decom(["validate"], { cwd: dir, endpoint: emulator.url });
  assertOneLine(validate, "error: decom.state.json: it is a directory, not a file");
  assert.is(emulator.requests.length, 0);
  assert.ok(statSync(join(dir, "decom.state.json")).isDirectory());
});

test("a plan path that is a directory is named", async ({ emulator, dir }) => {
  mkdirSync(join(dir, "some-dir"));
  const result = await decom(["apply", "some-dir/"], { cwd: dir, endpoint: emulator.url });
  assertOneLine(result, "error: some-dir/: it is a directory, not a file");
  const shown = await decom(["show", "some-dir"], { cwd: dir });
  assertOneLine(shown, "error: some-dir is a folder; decom show takes a file from decom plan --out or a state file");
  assert.is(emulator.requests.length, 0);
  assert.not.ok(existsSync(join(dir, "decom.state.json")));
});

test("a manifest path that is a directory is named", async ({ emulator, dir }) => {
  mkdirSync(join(dir, "manifests"));
  for (const command of [["plan"], ["apply", "--auto-approve"], ["validate"]]) {
    const result = await decom([...command, "-f", "manifests"], { cwd: dir, endpoint: emulator.url });
    assertOneLine(result, "error: -f manifests is a folder; give a manifest file, e.g. -f manifests/decom.yaml");
  }
  assert.is(emulator.requests.length, 0);
});

test("a lock that is a directory: force-unlock says it cannot remove it", async ({ dir }) => {
  mkdirSync(join(dir, "decom.state.json.lock"));
  const result = await decom(["force-unlock"], { cwd: dir });
  assertOneLine(result, "error: cannot remove the lock decom.state.json.lock: it is a directory, not a file");
});

test("init into a folder that does not exist, or beside a .gitignore that is a directory: named, nothing written", async ({ dir }) => {
  assertOneLine(
    await decom(["init", "-f", "nowhere/decom.yaml"], { cwd: dir }),
    "error: cannot write nowhere/decom.yaml: the folder nowhere does not exist; create it first (decom init creates no folders)",
  );
  const elsewhere = workspace();
  try {
    mkdirSync(join(elsewhere.dir, ".gitignore"));
    assertOneLine(await decom(["init"], { cwd: elsewhere.dir }), "error: cannot read .gitignore: it is a directory, not a file");
    assert.not.ok(existsSync(join(elsewhere.dir, "decom.yaml")), "no manifest was written either");
  } finally {
    elsewhere.remove();
  }
});

test.run();
