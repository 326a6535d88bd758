/** `forceUnlock` as a library function: the lock it removed and what it held. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DecomError, forceUnlock } from "../../src/index.js";
import { workspace } from "../helpers/decom.js";

const test = suite("operations: forceUnlock");

const holder = (pid: number) => JSON.stringify({ pid, host: hostname(), time: "2026-01-01T00:00:00.000Z", command: "decom apply" });

test("no lock: nothing removed, the lock named as shown", () => {
  const { dir, remove } = workspace({ "decom.yaml": "version: 1\n" });
  try {
    assert.equal(forceUnlock({ cwd: dir, state: "prod.state.json" }), { lock: "prod.state.json.lock", removed: false });
  } finally {
    remove();
  }
});

test("a stale lock is removed and its holder returned; a lock that is not decom's is removed with why", () => {
  const deadPid = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
  const { dir, remove } = workspace({ "decom.state.json.lock": holder(deadPid), "other.state.json.lock": "not json" });
  try {
    const stale = forceUnlock({ cwd: dir });
    assert.equal(stale, {
      lock: "decom.state.json.lock",
      removed: true,
      content: { holder: { pid: deadPid, host: hostname(), time: "2026-01-01T00:00:00.000Z", command: "decom apply" } },
    });
    assert.not.ok(existsSync(join(dir, "decom.state.json.lock")));
    const foreign = forceUnlock({ cwd: dir, state: "other.state.json" });
    assert.ok(foreign.removed && "foreign" in foreign.content, JSON.stringify(foreign));
    assert.not.ok(existsSync(join(dir, "other.state.json.lock")));
  } finally {
    remove();
  }
});

test("a lock whose holder still runs here is refused, and stays", () => {
  const { dir, remove } = workspace({ "decom.state.json.lock": holder(process.pid) });
  try {
    assert.throws(
      () => forceUnlock({ cwd: dir }),
      (err: unknown) => err instanceof DecomError && err.diagnostics[0]?.code === "lock.alive",
    );
    assert.ok(existsSync(join(dir, "decom.state.json.lock")));
  } finally {
    remove();
  }
});

test.run();
