/**
 * examples/github-actions/decom.yml, run for real: every `run:` step in order,
 * in a git repository with a remote, against the emulator. The GitHub-specific
 * steps (id `gh-…`) are replaced by files: the install by a `decom` on PATH,
 * the sticky comment by reading the file it would post, the artifact upload and
 * download by a folder.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/server.js";
import { assertValid } from "../helpers/schemas.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";
import { expandAll, installDecom, readWorkflow, runSteps, sh } from "../helpers/workflow.js";

const test = suite("e2e: the GitHub Actions workflow");
const workflow = readWorkflow("decom.yml");
const credentials = { kind: "basic" as const, apiKey: "ci-key", apiSecret: "ci-secret" };

interface Repo {
  root: string;
  origin: string;
  bin: string;
  artifacts: string;
}

/** A checkout in `dir` of a repository holding `manifest`, with its origin beside it and `decom` on a PATH of its own. */
async function repository(dir: string, manifest: string): Promise<Repo> {
  const root = join(dir, "repo");
  const origin = join(dir, "origin.git");
  const bin = join(dir, "bin");
  const artifacts = join(dir, "artifacts");
  for (const d of [root, bin, artifacts, join(root, "decom")]) mkdirSync(d, { recursive: true });
  // The gh-install step, replaced: `decom` on PATH runs this checkout's decom.
  // (gh-checkout, replaced: the repository is set up here, tracking origin as actions/checkout leaves it.)
  installDecom(bin);
  writeFileSync(join(root, "decom", "decom.yaml"), manifest);
  writeFileSync(join(root, ".gitignore"), "*.lock\n");
  const git = `git -c user.name=dev -c user.email=dev@example.com`;
  const setup = await sh(
    [
      `git init -q --bare "${origin}"`,
      "git init -q -b main",
      `git remote add origin "${origin}"`,
      "git add -A",
      `${git} commit -qm "retire the legacy fleet"`,
      "git push -q -u origin main",
    ].join(" && "),
    root,
    { PATH: process.env.PATH ?? "", HOME: dir },
  );
  assert.is(setup.code, 0, setup.output);
  return { root, origin, bin, artifacts };
}

interface JobRun {
  ok: boolean;
  log: string;
  comment?: string;
}

async function runJob(job: string, repo: Repo, emulator: Emulator): Promise<JobRun> {
  const cwd = join(repo.root, workflow.defaults!.run["working-directory"]);
  const sha = (await sh("git rev-parse HEAD", repo.root, { PATH: process.env.PATH ?? "" })).output.trim();
  // The repository's secrets and variables, read by the workflow's env.
  const contexts = {
    secrets: { WAYLAY_API_KEY: credentials.apiKey, WAYLAY_API_SECRET: credentials.apiSecret },
    vars: { WAYLAY_GATEWAY_URL: emulator.url },
  };
  const env: Record<string, string> = {
    PATH: `${repo.bin}:${process.env.PATH ?? ""}`,
    HOME: join(repo.root, ".."),
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: "acme/fleet",
    ...expandAll(workflow.env, contexts),
  };
  let comment: string | undefined;
  const run = await runSteps(workflow.jobs[job]!.steps, {
    cwd,
    env,
    outputFile: join(repo.root, "..", `github-output-${job}`),
    contexts,
    gh: (step) => {
      if (step.id === "gh-comment") comment = readFileSync(join(cwd, "plan-comment.md"), "utf8");
      if (step.id === "gh-upload-plan" && existsSync(join(cwd, "plan.json")))
        copyFileSync(join(cwd, "plan.json"), join(repo.artifacts, "plan.json"));
      if (step.id === "gh-reviewed-plan" && existsSync(join(repo.artifacts, "plan.json")))
        copyFileSync(join(repo.artifacts, "plan.json"), join(cwd, "plan.json"));
    },
  });
  return { ok: run.ok, log: run.log, ...(comment !== undefined ? { comment } : {}) };
}

const fleet = devices("dev", 30, "legacy");
const manifest = `version: 1\nresources:\n${fleet.map((d) => `  - id: ${d.id}`).join("\n")}\nresourceTypes:\n  - id: legacy\n`;

test("pull request: the plan is posted as one comment and kept; merge: it is applied and the state committed", async () => {
  return withEmulator({ seed: world([...fleet, ...devices("keep", 2, "current")]), credentials }, {}, async ({ emulator, dir }) => {
    const repo = await repository(dir, manifest);
    const pr = await runJob("plan", repo, emulator);
    assert.ok(pr.ok, pr.log);
    assert.ok(pr.comment?.startsWith("### decom plan: 31 to delete, 0 already absent, 0 to forget\n"), pr.comment);
    assert.match(pr.comment!, "<details><summary>Delete: 30 resources</summary>");
    assert.match(pr.comment!, "Apply exactly this plan with `decom apply plan.json`.");
    assert.ok(existsSync(join(repo.artifacts, "plan.json")), "the plan is kept as an artifact");
    assert.is(emulator.count("POST"), 0, "a pull request deletes nothing");

    // The merge: a fresh checkout of main gets the reviewed plan from the artifact.
    const merged = await runJob("apply", repo, emulator);
    assert.ok(merged.ok, merged.log);
    for (const d of fleet) assert.not.ok(emulator.tenant.resources.has(d.id));
    assert.ok(emulator.tenant.resources.has("keep-0001"));
    const log = await sh(
      `git --git-dir="${repo.origin}" log --format=%s -n 1 main && git --git-dir="${repo.origin}" show main:decom/decom.state.json`,
      repo.root,
      { PATH: process.env.PATH ?? "" },
    );
    const [subject, ...state] = log.output.split("\n");
    assert.match(subject!, /^decom: state after applying [0-9a-f]{7}$/);
    const committed = JSON.parse(state.join("\n"));
    assertValid("state", committed, "the committed state");
    assert.is(Object.keys(committed.resources).length, 30);
  });
});

test("merge of a stale plan: refused, nothing deleted, the job shows what a plan says now", async () => {
  return withEmulator({ seed: world([...fleet]), credentials }, {}, async ({ emulator, dir }) => {
    const repo = await repository(dir, manifest);
    assert.ok((await runJob("plan", repo, emulator)).ok);
    // Meanwhile someone applied part of it and committed the state.
    const other = await sh(
      [
        "decom apply --auto-approve --target dev-0001",
        "git add decom.state.json",
        'git -c user.name=ops -c user.email=ops@example.com commit -qm "manual"',
        "git push -q origin main",
      ].join(" && "),
      join(repo.root, "decom"),
      {
        PATH: `${repo.bin}:${process.env.PATH ?? ""}`,
        HOME: join(repo.root, ".."),
        WAYLAY_GATEWAY_URL: emulator.url,
        WAYLAY_API_KEY: credentials.apiKey,
        WAYLAY_API_SECRET: credentials.apiSecret,
      },
    );
    assert.is(other.code, 0, other.output);
    const posts = emulator.count("POST");
    const merged = await runJob("apply", repo, emulator);
    assert.not.ok(merged.ok, "the job fails");
    assert.match(merged.log, "plan.json is stale and was not applied: it was made when no state file existed");
    assert.match(merged.log, "The reviewed plan was not applied in full. A plan now shows:");
    assert.match(merged.log, "Plan: 30 to delete");
    assert.match(merged.log, "The state did not change.");
    assert.is(emulator.count("POST"), posts, "nothing was sent");
  });
});

test("a blocked plan is still posted, and fails the check", async () => {
  return withEmulator(
    { seed: world([...fleet, { id: "child", resourceTypeId: "current", parentId: "dev-0001" }]), credentials },
    {},
    async ({ emulator, dir }) => {
      const repo = await repository(dir, manifest);
      const pr = await runJob("plan", repo, emulator);
      assert.not.ok(pr.ok);
      assert.match(pr.comment!, "### decom plan: 31 to delete, 0 already absent, 0 to forget (blocked)");
      assert.match(pr.comment!, 'resource `"dev-0001"` still has 1 child the plan does not delete: `"child"`');
      assert.match(pr.log, "decom plan exited 1: see the pull request comment");
    },
  );
});

test.run();
