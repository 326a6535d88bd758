/** `init` as a library function: what it wrote; a .gitignore it could not write is a diagnostic, not a lost manifest. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { localDisk, type AppendLog, type Disk } from "../../src/files/disk.js";
import { DecomError, init } from "../../src/index.js";
import { decom, workspace } from "../helpers/decom.js";

const test = suite("operations: init");

/** Creates files, but cannot replace one (a .gitignore the user may not write). */
class GitignoreReadOnly implements Disk {
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
    return localDisk.createNew(path, content);
  }
  writeAtomic(path: string): void {
    throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: "EACCES", syscall: "open", path });
  }
  openLog(path: string): AppendLog {
    return localDisk.openLog(path);
  }
  truncate(path: string, length: number): void {
    localDisk.truncate(path, length);
  }
  remove(path: string): void {
    localDisk.remove(path);
  }
}

test("returns the manifest it wrote and how many lines it added to the .gitignore beside it", () => {
  const { dir, remove } = workspace({ ".gitignore": "node_modules/\n" });
  try {
    assert.equal(init({ cwd: dir }), { manifest: "decom.yaml", gitignore: { path: ".gitignore", added: 8 }, diagnostics: [] });
    assert.ok(existsSync(join(dir, "decom.yaml")));
    const err = (() => {
      try {
        return init({ cwd: dir });
      } catch (e) {
        return e;
      }
    })();
    assert.instance(err, DecomError, "an existing manifest is thrown: nothing was written");
  } finally {
    remove();
  }
});

test("an unwritable .gitignore: the manifest stays written, the failure is a diagnostic; decom init says both, exit 1", async () => {
  const { dir, remove } = workspace({ ".gitignore": "node_modules/\n" });
  try {
    const result = init({ cwd: dir, manifest: "a.yaml", disk: new GitignoreReadOnly() });
    assert.equal(result.gitignore, { path: ".gitignore", added: 0 });
    assert.equal(
      result.diagnostics.map((d) => `${d.code}: ${d.summary}`),
      ["init.file: cannot write .gitignore: permission denied"],
    );
    assert.ok(existsSync(join(dir, "a.yaml")), "the manifest was written");

    const cli = await decom(["init", "-f", "b.yaml"], { cwd: dir, disk: new GitignoreReadOnly() });
    assert.is(cli.code, 1);
    assert.is(cli.stdout, "Wrote b.yaml. Edit it, then run: decom validate -f b.yaml && decom plan -f b.yaml\n");
    assert.is(cli.stderr, "error: cannot write .gitignore: permission denied\n");
    assert.is(readFileSync(join(dir, ".gitignore"), "utf8"), "node_modules/\n");
  } finally {
    remove();
  }
});

test.run();
