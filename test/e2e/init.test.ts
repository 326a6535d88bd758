import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator } from "../../src/emulator/server.js";
import { DECOM_VERSION } from "../../src/version.js";
import { decom, workspace } from "../helpers/decom.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite("e2e: decom init");

const GITIGNORE_LINES =
  "# decom: the state lock exists only while decom runs (keep the state file, and a journal an interrupted apply left, in git)\n" +
  "*.state.json.lock\n" +
  "# decom: the temporary file of a state write cut short by a crash (the state itself is intact)\n" +
  ".*.state.json.*.tmp\n" +
  "# decom: saved plans are reviewed in pull requests; ignore them if you do not commit them\n" +
  "# plan.json\n" +
  "# decom: the archive holds the tenant's documents as they were before deletion (decom restore); commit it or not, your choice\n" +
  "# *.archive.jsonl\n";

test("writes a starter manifest that validates, and .gitignore lines once", async () => {
  const { dir, remove } = workspace({ ".gitignore": "node_modules/" });
  try {
    const init = await decom(["init"], { cwd: dir });
    assert.is(init.code, 0, init.stderr);
    assert.is(init.stdout, "Wrote decom.yaml. Edit it, then run: decom validate && decom plan\nAdded 8 lines to .gitignore.\n");
    const manifest = readFileSync(join(dir, "decom.yaml"), "utf8");
    assert.match(manifest, "#   - select:");
    assert.is((await decom(["validate"], { cwd: dir })).code, 0);
    assert.is(readFileSync(join(dir, ".gitignore"), "utf8"), `node_modules/\n${GITIGNORE_LINES}`);

    const again = await decom(["init"], { cwd: dir });
    assert.is(again.code, 1);
    assert.match(again.stderr, "decom.yaml already exists; decom init never overwrites a manifest");
    assert.is((await decom(["init", "-f", "other.yaml"], { cwd: dir })).code, 0);
    assert.is(readFileSync(join(dir, ".gitignore"), "utf8"), `node_modules/\n${GITIGNORE_LINES}`, "lines are added once");
  } finally {
    remove();
  }
});

test("$schema is the published schema of this decom version, the same on every clone", async () => {
  const { dir, remove } = workspace();
  try {
    assert.is((await decom(["init"], { cwd: dir })).code, 0);
    const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(join(dir, "decom.yaml"), "utf8"))?.[1];
    assert.is(schema, `https://cdn.jsdelivr.net/npm/waylay-decom@${DECOM_VERSION}/schemas/manifest.schema.json`);
    // The URL names a file this package publishes: its name, its version, a folder in "files", a file in that folder.
    const pkg = readJsonFile(new URL("../../package.json", import.meta.url)) as { name: string; version: string; files: string[] };
    const [, name, version, path] = /^https:\/\/cdn\.jsdelivr\.net\/npm\/([^@]+)@([^/]+)\/(.+)$/.exec(schema!)!;
    assert.is(name, pkg.name);
    assert.is(version, pkg.version);
    assert.ok(pkg.files.includes(path!.split("/")[0]!), `${path} is published`);
    assert.ok(existsSync(new URL(`../../${path}`, import.meta.url)), `${path} exists`);
  } finally {
    remove();
  }
});

/** Whether git ignores each path, from `git check-ignore` in a repository at `dir`. */
function ignoredByGit(dir: string, paths: string[]): Map<string, boolean> {
  const result = spawnSync("git", ["check-ignore", "--no-index", "--verbose", "--non-matching", ...paths], { cwd: dir, encoding: "utf8" });
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  // Each line: `source:line:pattern<TAB>path`; `::<TAB>path` when nothing matched.
  return new Map(
    result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => {
        const [match, path] = line.split("\t");
        return [path!, match !== "::"];
      }),
  );
}

test(".gitignore ignores decom's lock and nothing of anyone else's: yarn.lock and Gemfile.lock stay tracked", async () => {
  const { dir, remove } = workspace();
  try {
    assert.is(spawnSync("git", ["init", "-q"], { cwd: dir }).status, 0, "git is available");
    assert.is((await decom(["init"], { cwd: dir })).code, 0);
    const ignored = ignoredByGit(dir, [
      "yarn.lock",
      "Gemfile.lock",
      "package-lock.json",
      "poetry.lock",
      "decom.state.json",
      "decom.state.json.journal",
      "plan.json",
      "decom.state.json.lock",
      "sub/decom.state.json.lock",
    ]);
    assert.equal(Object.fromEntries(ignored), {
      "yarn.lock": false,
      "Gemfile.lock": false,
      "package-lock.json": false,
      "poetry.lock": false,
      "decom.state.json": false,
      "decom.state.json.journal": false,
      "plan.json": false,
      "decom.state.json.lock": true,
      "sub/decom.state.json.lock": true,
    });
  } finally {
    remove();
  }
});

test("init -f decom/decom.yaml writes .gitignore beside the manifest, where the state and its lock will be", async () => {
  const { dir, remove } = workspace();
  try {
    mkdirSync(join(dir, "decom"));
    assert.is(spawnSync("git", ["init", "-q"], { cwd: dir }).status, 0, "git is available");
    const init = await decom(["init", "-f", "decom/decom.yaml"], { cwd: dir });
    assert.is(init.code, 0, init.stderr);
    assert.match(init.stdout, "Added 8 lines to decom/.gitignore.");
    assert.not.ok(existsSync(join(dir, ".gitignore")), "nothing written in the current folder");
    assert.is(readFileSync(join(dir, "decom/.gitignore"), "utf8"), GITIGNORE_LINES);
    assert.equal(Object.fromEntries(ignoredByGit(dir, ["decom/decom.state.json.lock", "decom/decom.state.json", "yarn.lock"])), {
      "decom/decom.state.json.lock": true,
      "decom/decom.state.json": false,
      "yarn.lock": false,
    });
  } finally {
    remove();
  }
});

/** The commands in `then run: A && B`, split into words as a POSIX shell would (single quotes only, which is all init writes). */
function nextCommands(stdout: string): string[][] {
  const line = /then run: (.+)$/m.exec(stdout)?.[1];
  assert.ok(line, stdout);
  return line!.split(" && ").map((command) => {
    const words = [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
      m[1] !== undefined ? m[1].replaceAll(`'\\''`, "'") : m[2]!,
    );
    assert.is(words.shift(), "decom");
    return words;
  });
}

for (const manifest of ["retire-2026-q4.yaml", "decom/decom.yaml", "my plans/retire q4.yaml", "it's.yaml", "-dashed.yaml"]) {
  test(`init -f ${manifest}: the commands it prints work as printed`, async () => {
    const { dir, remove } = workspace();
    const emulator = await startEmulator({});
    try {
      if (manifest.includes("/")) mkdirSync(join(dir, manifest.slice(0, manifest.lastIndexOf("/"))));
      const init = await decom(["init", `--manifest=${manifest}`], { cwd: dir });
      assert.is(init.code, 0, init.stderr);
      const stateName = `${manifest.slice(manifest.lastIndexOf("/") + 1).replace(/\.yaml$/, "")}.state.json`;
      assert.match(readFileSync(join(dir, manifest), "utf8"), `records every outcome in\n# ${stateName} (keep that file in git`);
      const [validate, plan] = nextCommands(init.stdout);
      const flag = manifest.startsWith("-") ? [`--manifest=${manifest}`] : ["-f", manifest];
      assert.equal(validate, ["validate", ...flag]);
      assert.equal(plan, ["plan", ...flag]);
      const validated = await decom(validate!, { cwd: dir });
      assert.is(validated.code, 0, validated.stderr);
      const planned = await decom(plan!, { cwd: dir, endpoint: emulator.url });
      assert.is(planned.code, 0, planned.stderr);
      assert.match(planned.stdout, "No changes.");
    } finally {
      await emulator.close();
      remove();
    }
  });
}

test.run();
