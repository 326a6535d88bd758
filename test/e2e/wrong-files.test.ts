/**
 * A folder where a file belongs, a file of the wrong kind, a lock decom did not
 * write: each is said in one line naming the path as the user gave it (and the
 * flag it came with), with what decom wanted instead; nothing is sent or written.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { assertOneLine, decom, manifestYaml } from "../helpers/decom.js";
import { oneDeviceSuite } from "../helpers/emulator-suite.js";

const test = oneDeviceSuite("e2e: folders, wrong kinds of file and foreign locks are named");

const SHOW_TAKES = "decom show takes a file from decom plan --out or a state file";

test("--state naming a folder: the flag and the path as given, and a file to give instead", async ({ emulator, dir }) => {
  mkdirSync(join(dir, "states"));
  const outside = tmpdir(); // an absolute folder above the working one: never shown as ../..
  for (const command of [["plan"], ["apply", "--auto-approve"], ["validate"], ["force-unlock"]]) {
    for (const [folder, example] of [
      [outside, join(outside, "decom.state.json")],
      ["states", "states/decom.state.json"],
      [".", "decom.state.json"],
    ] as const) {
      const result = await decom([...command, "--state", folder], { cwd: dir, endpoint: emulator.url });
      assertOneLine(result, `error: --state ${folder} is a folder; give a state file, e.g. --state ${example}`);
    }
  }
  assert.is(emulator.requests.length, 0, "no HTTP request");
  assert.not.ok(existsSync(join(dir, "decom.state.json")));
});

test("-f naming a folder: the flag and the path as given", async ({ emulator, dir }) => {
  mkdirSync(join(dir, "manifests"));
  for (const command of [["plan"], ["apply", "--auto-approve"], ["validate"], ["init"]]) {
    const result = await decom([...command, "-f", "manifests"], { cwd: dir, endpoint: emulator.url });
    assertOneLine(result, "error: -f manifests is a folder; give a manifest file, e.g. -f manifests/decom.yaml");
  }
  assert.is(emulator.requests.length, 0, "no HTTP request");
});

test("decom show of a folder says what show takes", async ({ dir }) => {
  mkdirSync(join(dir, "plans"));
  assertOneLine(await decom(["show", "plans"], { cwd: dir }), `error: plans is a folder; ${SHOW_TAKES}`);
  assertOneLine(await decom(["show", tmpdir()], { cwd: dir }), `error: ${tmpdir()} is a folder; ${SHOW_TAKES}`);
});

test("decom show of a manifest, or of JSON that is neither a plan nor a state, says so (and not 'restore it from git')", async ({
  dir,
}) => {
  writeFileSync(join(dir, "retire.txt"), manifestYaml(["dev-0002"]));
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: 1, resources: [{ id: "dev-0002" }] }));
  writeFileSync(join(dir, "other.json"), JSON.stringify({ hello: 1 }));
  assertOneLine(
    await decom(["show", "decom.yaml"], { cwd: dir }),
    `error: decom.yaml is a manifest, not a plan or state file; ${SHOW_TAKES}`,
  );
  assertOneLine(
    await decom(["show", "retire.txt"], { cwd: dir }),
    `error: retire.txt is a manifest, not a plan or state file; ${SHOW_TAKES}`,
  );
  assertOneLine(
    await decom(["show", "manifest.json"], { cwd: dir }),
    `error: manifest.json is a manifest, not a plan or state file; ${SHOW_TAKES}`,
  );
  assertOneLine(
    await decom(["show", "other.json"], { cwd: dir }),
    `error: other.json is neither a plan nor a state file (it has no "formatVersion" and no "lineage"); ${SHOW_TAKES}`,
  );
});

test("--state naming a manifest or a saved plan: said so, nothing sent, the file untouched", async ({ emulator, dir }) => {
  const saved = await decom(["plan", "--out", "plan.json", "--state", "first.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(saved.code, 0, saved.stderr);
  const sent = emulator.requests.length;
  for (const command of [["plan"], ["apply", "--auto-approve"], ["validate"]]) {
    assertOneLine(
      await decom([...command, "--state", "decom.yaml"], { cwd: dir, endpoint: emulator.url }),
      "error: --state decom.yaml is a manifest, not a state file (the manifest is given with -f)",
    );
    assertOneLine(
      await decom([...command, "--state", "plan.json"], { cwd: dir, endpoint: emulator.url }),
      "error: --state plan.json is a saved plan, not a state file (a saved plan is applied with decom apply plan.json)",
    );
  }
  assert.is(emulator.requests.length, sent, "no HTTP request");
  assert.is(readFileSync(join(dir, "decom.yaml"), "utf8"), manifestYaml(["dev-0001"]));
  assert.not.ok(existsSync(join(dir, "decom.yaml.lock")), "the lock is released");
});

const JOURNAL =
  [
    '{"begin":{"lineage":"0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d","serial":0,"inherited":0}}',
    '{"submit":{"seq":0,"kind":"resource","ids":{"dev-0001":"id"},"time":"2026-01-01T00:00:00.000Z"}}',
  ].join("\n") + "\n";
const APPLY_TAKES = "decom apply takes a file from decom plan --out";

test("decom apply of a manifest, a state file, a journal or an empty file says what it is, not 'not a decom plan'", async ({
  emulator,
  dir,
}) => {
  const applied = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
  assert.is(applied.code, 0, applied.stderr);
  writeFileSync(join(dir, "other.state.json.journal"), JOURNAL);
  writeFileSync(join(dir, "empty.json"), "");
  const sent = emulator.requests.length;
  const state = readFileSync(join(dir, "decom.state.json"), "utf8");
  assertOneLine(
    await decom(["apply", "decom.yaml"], { cwd: dir, endpoint: emulator.url }),
    `error: decom.yaml is a manifest, not a saved plan; ${APPLY_TAKES}`,
  );
  assertOneLine(
    await decom(["apply", "decom.state.json"], { cwd: dir, endpoint: emulator.url }),
    `error: decom.state.json is a state file, not a saved plan; ${APPLY_TAKES}`,
  );
  assertOneLine(
    await decom(["apply", "other.state.json.journal"], { cwd: dir, endpoint: emulator.url }),
    "error: other.state.json.journal is the journal of an apply in progress or interrupted, not a saved plan; " +
      `decom apply --state other.state.json resumes it; ${APPLY_TAKES}`,
  );
  assertOneLine(
    await decom(["apply", "empty.json"], { cwd: dir, endpoint: emulator.url }),
    `error: empty.json is empty, not a saved plan; ${APPLY_TAKES}`,
  );
  assert.is(emulator.requests.length, sent, "no HTTP request");
  assert.is(readFileSync(join(dir, "decom.state.json"), "utf8"), state, "the state is untouched");
});

test("decom show or --state of a journal says it is one, and how it is resumed", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.state.json.journal"), JOURNAL);
  writeFileSync(join(dir, "copy.json"), JOURNAL);
  assertOneLine(
    await decom(["show", "decom.state.json.journal"], { cwd: dir }),
    "error: decom.state.json.journal is the journal of an apply in progress or interrupted, not a plan or state file; " +
      `decom apply resumes it; ${SHOW_TAKES}`,
  );
  assertOneLine(
    await decom(["show", "copy.json"], { cwd: dir }),
    `error: copy.json is the journal of an apply in progress or interrupted, not a plan or state file; ${SHOW_TAKES}`,
  );
  for (const command of [["plan"], ["apply", "--auto-approve"], ["validate"]]) {
    assertOneLine(
      await decom([...command, "--state", "copy.json"], { cwd: dir, endpoint: emulator.url }),
      "error: --state copy.json is the journal of an apply in progress or interrupted, " +
        "not a state file (give the state file it belongs to)",
    );
  }
  assert.is(emulator.requests.length, 0, "no HTTP request");
  assert.is(readFileSync(join(dir, "decom.state.json.journal"), "utf8"), JOURNAL);
});

test("decom show of an empty file says it is empty, not that a state file is", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "empty.json"), "");
  assertOneLine(
    await decom(["show", "empty.json"], { cwd: dir }),
    `error: empty.json is empty: neither a plan nor a state file; ${SHOW_TAKES}`,
  );
  const asState = await decom(["plan", "--state", "empty.json"], { cwd: dir, endpoint: emulator.url });
  assert.is(asState.code, 1);
  assert.match(asState.stderr, "empty.json: the state file is empty");
});

const foreignLocks: [why: string, content: string, reason: string][] = [
  ["fields missing", JSON.stringify({ command: "x", pid: 1 }), 'it has no "host"'],
  ["a pid that is no process id", JSON.stringify({ command: "x", pid: "one", host: "h", time: "t" }), '"pid" is not a process id'],
  ["not JSON", "hello\n", "it is not JSON"],
  ["empty", "", "it is empty"],
  ["JSON that is no object", "[1, 2]", "it is not a JSON object"],
];

for (const [why, content, reason] of foreignLocks) {
  test(`a lock file decom did not write (${why}) is said to be one, and force-unlock removes it saying so`, async ({ emulator, dir }) => {
    writeFileSync(join(dir, "decom.state.json.lock"), content);
    for (const command of [["plan"], ["apply", "--auto-approve"]]) {
      const result = await decom(command, { cwd: dir, endpoint: emulator.url });
      assert.not.match(result.stderr, "undefined");
      assertOneLine(
        result,
        `error: decom.state.json.lock is not a lock decom wrote (${reason}); if no decom is running, remove it with: decom force-unlock`,
      );
    }
    assert.is(emulator.requests.length, 0, "no HTTP request");
    const unlock = await decom(["force-unlock"], { cwd: dir });
    assert.is(unlock.code, 0, unlock.stderr);
    assert.is(unlock.stdout, `Removed decom.state.json.lock, which was not a lock decom wrote (${reason}).\n`);
    assert.not.ok(existsSync(join(dir, "decom.state.json.lock")));
  });
}

test.run();
