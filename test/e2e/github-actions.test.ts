/**
 * examples/github-actions/decom.yml, run for real: every `run:` step in order,
 * each job in a clone of its own (as each job gets a runner of its own), with
 * a remote, against the emulator. The GitHub-specific steps (id `gh-…`) are
 * stood in for (test/helpers/workflow.ts): the checkout by a clone made as
 * actions/checkout makes it, the install by a `decom` on PATH, the sticky
 * comment by reading the file it would post, artifacts by folders; and `gh`,
 * which the plain steps call, by a fake answering from those folders.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/server.js";
import { waitFor } from "../helpers/child.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { assertValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";
import {
  FakeGitHub,
  GIT_AS_DEV as git,
  type GitHubEvent,
  type JobRun,
  installDecom,
  pushTriggers,
  readWorkflow,
  runJob,
  sh,
  type Step,
} from "../helpers/workflow.js";

const test = suite("e2e: the GitHub Actions workflow");
const workflow = readWorkflow("decom.yml");
const credentials = { kind: "basic" as const, apiKey: "ci-key", apiSecret: "ci-secret" };
const PATH = process.env.PATH ?? "";

interface Repo {
  dir: string;
  /** A developer's clone of main. */
  root: string;
  origin: string;
  bin: string;
  github: FakeGitHub;
  /** The commit that merged pull request #7 (branch `retire`) into main: the manifest. */
  merged: string;
  /** The run of pull request #7's plan job: where it keeps its plan. */
  prRun: string;
  /** Each decom run appends its process id here (installDecom). */
  pids: string;
}

/** A bare origin in `dir` whose main holds `manifest` in decom/, merged from pull request #7; a developer's clone; decom and gh on PATH. */
async function repository(dir: string, manifest: string): Promise<Repo> {
  const root = join(dir, "repo");
  const origin = join(dir, "origin.git");
  const bin = join(dir, "bin");
  const pids = join(dir, "decom-pids");
  installDecom(bin, pids);
  const github = new FakeGitHub(join(dir, "github"));
  github.install(bin);
  const setup = await sh(
    [
      `git init -q --bare -b main "${origin}"`,
      `git clone -q "${origin}" "${root}" 2>/dev/null`,
      `cd "${root}"`,
      "mkdir decom",
      `printf '%s' "$MANIFEST" > decom/decom.yaml`,
      "echo '*.lock' > .gitignore",
      "git add -A",
      `${git} commit -qm "retire the legacy fleet (#7)"`,
      "git push -q origin main",
      "git rev-parse HEAD",
    ].join(" && "),
    dir,
    { PATH, HOME: dir, MANIFEST: manifest },
  );
  assert.is(setup.code, 0, setup.output);
  const merged = setup.output.trim();
  github.merged(merged, 7, "retire");
  return { dir, root, origin, bin, github, merged, prRun: github.pullRequestRun("retire"), pids };
}

/** The pull request (planned on its merge commit, here main's) or the push that merged it. */
const pullRequest = (repo: Repo): GitHubEvent => ({ name: "pull_request", sha: repo.merged, payload: {} });
const push = (repo: Repo, sha = repo.merged): GitHubEvent => ({ name: "push", sha, payload: {} });

let jobs = 0;
/** Job `name` for `event`, on a runner of its own; `after` acts after each gh- step. */
function job(name: "plan" | "apply", repo: Repo, emulator: Emulator, event: GitHubEvent, after?: (step: Step) => Promise<void>) {
  return runJob(workflow, name, {
    where: join(repo.dir, `job-${++jobs}-${name}`),
    origin: repo.origin,
    event,
    // The repository's secrets and variables, read by the workflow's env.
    contexts: {
      secrets: { WAYLAY_API_KEY: credentials.apiKey, WAYLAY_API_SECRET: credentials.apiSecret },
      vars: { WAYLAY_GATEWAY_URL: emulator.url },
    },
    bin: repo.bin,
    github: repo.github,
    run: event.name === "pull_request" ? repo.prRun : `push-${jobs}`,
    ...(after ? { after } : {}),
  });
}

/** `git` run against origin: its output. */
async function origin(repo: Repo, command: string): Promise<string> {
  const result = await sh(`git ${command}`, repo.dir, { PATH, GIT_DIR: repo.origin });
  assert.is(result.code, 0, result.output);
  return result.output;
}

/** What a plan of main's tip says now, in a clone of its own: exit 0 means nothing left to do. */
async function planMain(repo: Repo, emulator: Emulator) {
  const where = join(repo.dir, `main-${++jobs}`);
  const env = { PATH: `${repo.bin}:${PATH}`, HOME: repo.dir, WAYLAY_GATEWAY_URL: emulator.url, NO_COLOR: "1" };
  return sh(`git clone -q "${repo.origin}" "${where}" && cd "${where}/decom" && decom plan --detailed-exitcode`, repo.dir, {
    ...env,
    WAYLAY_API_KEY: credentials.apiKey,
    WAYLAY_API_SECRET: credentials.apiSecret,
  });
}

const fleet = devices("dev", 30, "legacy");
const manifestOf = (ids: string[]) =>
  `version: 1\nresources:\n${ids.map((id) => `  - id: ${id}`).join("\n")}\nresourceTypes:\n  - id: legacy\n`;
const manifest = manifestOf(fleet.map((d) => d.id));

test("pull request: the plan is posted as one comment and kept; merge: it is applied and the state committed", async () => {
  return withEmulator({ seed: world([...fleet, ...devices("keep", 2, "current")]), credentials }, {}, async ({ emulator, dir }) => {
    const repo = await repository(dir, manifest);
    const pr = await job("plan", repo, emulator, pullRequest(repo));
    assert.ok(pr.ok, pr.log);
    assert.ok(pr.comment?.startsWith("### decom plan: 31 to delete, 0 already absent, 0 to forget\n"), pr.comment);
    assert.match(pr.comment!, "<details><summary>Delete: 30 resources</summary>");
    assert.match(pr.comment!, "Apply exactly this plan with `decom apply plan.json`.");
    assert.equal(pr.uploaded, { "decom-plan": ["plan.json"] }, "the plan is kept as an artifact");
    assert.is(emulator.count("POST"), 0, "a pull request deletes nothing");

    // The merge: a fresh checkout of main gets the reviewed plan from the pull request's run.
    const merged = await job("apply", repo, emulator, push(repo));
    assert.ok(merged.ok, merged.log);
    for (const d of fleet) assert.not.ok(emulator.tenant.resources.has(d.id));
    assert.ok(emulator.tenant.resources.has("keep-0001"));
    const [subject, ...files] = (await origin(repo, "log --format=%s --name-only -n 1 main")).trim().split("\n").filter(Boolean);
    assert.match(subject!, /^decom: state after applying [0-9a-f]{7}$/);
    assert.equal(files, ["decom/decom.state.json"]);
    assert.not.ok(pushTriggers(workflow, files), "the state commit does not start the workflow again");
    assert.ok(pushTriggers(workflow, ["decom/decom.yaml", "decom/decom.state.json"]), "a manifest change does");
    const committed = JSON.parse(await origin(repo, "show main:decom/decom.state.json"));
    assertValid("state", committed, "the committed state");
    assert.is(Object.keys(committed.resources).length, 30);
  });
});

test("merge of a stale plan: refused, nothing deleted, the job shows what a plan says now", async () => {
  return withEmulator({ seed: world([...fleet]), credentials }, {}, async ({ emulator, dir }) => {
    const repo = await repository(dir, manifest);
    assert.ok((await job("plan", repo, emulator, pullRequest(repo))).ok);
    // After the merge, before its apply job ran, someone applied part of it and committed the state.
    const other = await sh(
      [
        "decom apply --auto-approve --target dev-0001",
        "git add decom.state.json",
        'git -c user.name=ops -c user.email=ops@example.com commit -qm "manual"',
        "git push -q origin main",
      ].join(" && "),
      join(repo.root, "decom"),
      {
        PATH: `${repo.bin}:${PATH}`,
        HOME: dir,
        WAYLAY_GATEWAY_URL: emulator.url,
        WAYLAY_API_KEY: credentials.apiKey,
        WAYLAY_API_SECRET: credentials.apiSecret,
      },
    );
    assert.is(other.code, 0, other.output);
    const posts = emulator.count("POST");
    const merged = await job("apply", repo, emulator, push(repo));
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
      const pr = await job("plan", repo, emulator, pullRequest(repo));
      assert.not.ok(pr.ok);
      assert.match(pr.comment!, "### decom plan: 31 to delete, 0 already absent, 0 to forget (blocked)");
      assert.match(pr.comment!, 'resource `"dev-0001"` still has 1 child the plan does not delete: `"child"`');
      assert.match(pr.log, "decom plan exited 1: see the pull request comment");
    },
  );
});

test("a plan that failed is posted and keeps no plan; merged anyway, nothing is applied and the job says why", async () => {
  return withEmulator({ seed: world([...fleet]), credentials }, {}, async ({ emulator, dir }) => {
    const repo = await repository(dir, "version: 1\nresources:\n  - idd: dev-0001\n");
    const pr = await job("plan", repo, emulator, pullRequest(repo));
    assert.not.ok(pr.ok);
    assert.ok(pr.comment?.startsWith("### decom plan failed\n\n```text\n"), pr.comment);
    assert.match(pr.comment!, "decom.yaml:3");
    assert.equal(pr.uploaded, {}, "no plan kept");

    // The run kept no plan: `gh run download` fails, and the apply step still runs, to say so.
    const merged = await job("apply", repo, emulator, push(repo));
    assert.not.ok(merged.ok);
    assert.match(merged.log, `Run ${repo.prRun} has no decom-plan.`);
    assert.match(merged.log, "No reviewed plan was found for this merge; nothing was applied. A plan now shows:");
    assert.is(emulator.count("POST"), 0);
  });
});

test("a push to main that merged no pull request: nothing applied, the job says there is no reviewed plan", async () => {
  return withEmulator({ seed: world([...fleet]), credentials }, {}, async ({ emulator, dir }) => {
    const repo = await repository(dir, manifest);
    const pushed = await sh(
      `printf '%s' "$MANIFEST" > decom/decom.yaml && ${git} commit -qam "straight to main" && git push -q && git rev-parse HEAD`,
      repo.root,
      { PATH, HOME: dir, MANIFEST: "version: 1\nresources:\n  - id: dev-0001\n" },
    );
    assert.is(pushed.code, 0, pushed.output);
    const sha = pushed.output.trim();
    const run = await job("apply", repo, emulator, push(repo, sha));
    assert.not.ok(run.ok);
    assert.match(run.log, `${sha.slice(0, 7)} was pushed to main without a pull request.`);
    assert.match(run.log, "No reviewed plan was found for this merge; nothing was applied. A plan now shows:");
    assert.match(run.log, "Plan: 1 to delete");
    assert.is(emulator.count("POST"), 0);
  });
});

/**
 * The apply job killed mid-apply (its decom SIGKILLed once the service has
 * accepted the first batch, which runs on): the always() step commits the
 * state and journal; then the same job is run again, same commit, as GitHub's
 * "Re-run failed jobs" does.
 */
test("a re-run of an apply job that died midway resumes from what it committed: no id sent twice, all deleted", async () => {
  const big = devices("dev", 200, "legacy");
  const options = { seed: world([...big, ...devices("keep", 2, "current")]), credentials, timing: { startDelayMs: 10, perIdMs: 10 } };
  return withEmulator(options, {}, async ({ emulator, dir }) => {
    const repo = await repository(dir, manifestOf(big.map((d) => d.id)));
    assert.ok((await job("plan", repo, emulator, pullRequest(repo))).ok);

    writeFileSync(repo.pids, "");
    const first = job("apply", repo, emulator, push(repo));
    const where = join(repo.dir, `job-${jobs}-apply`);
    const journal = () => {
      try {
        return readFileSync(join(where, "decom", "decom.state.json.journal"), "utf8");
      } catch {
        return "";
      }
    };
    await waitFor(() => journal().includes('"accepted"'), 30_000, "the first batch's acceptance journaled");
    process.kill(Number(readFileSync(repo.pids, "utf8").split("\n")[0]), "SIGKILL");
    const attempt: JobRun = await first;
    assert.not.ok(attempt.ok);
    assert.match(attempt.log, "The reviewed plan was not applied in full.");
    assert.is(emulator.batches.batches.size, 1, "killed while its one resource batch was still running");
    assert.match(await origin(repo, "ls-tree -r --name-only main"), "decom/decom.state.json.journal", "the journal was committed");

    const rerun = await job("apply", repo, emulator, push(repo));
    const stats = emulator.stats();
    console.log(`re-run: ${stats.batchesAccepted} batches, ${stats.idsAccepted} ids accepted, ${stats.idsAcceptedTwice} twice`);
    assert.ok(rerun.ok, rerun.log);
    assert.is(stats.idsAcceptedTwice, 0, "ids in two accepted batches");
    for (const d of big) assert.not.ok(emulator.tenant.resources.has(d.id), d.id);
    assert.not.ok(emulator.tenant.resourceTypes.has("legacy"));
    assert.ok(emulator.tenant.resources.has("keep-0001"));

    // main: the merge, then each attempt's state commit, one after the other; the journal gone with the apply's end.
    const history = (await origin(repo, `log --format=%s ${repo.merged}..main`)).trim().split("\n");
    assert.equal(history, Array(2).fill(`decom: state after applying ${repo.merged.slice(0, 7)}`));
    assert.equal((await origin(repo, "ls-tree -r --name-only main")).trim().split("\n"), [
      ".gitignore",
      "decom/decom.state.json",
      "decom/decom.yaml",
    ]);
    const state = JSON.parse(await origin(repo, "show main:decom/decom.state.json"));
    for (const d of big) assert.is(state.resources[d.id].status, "deleted", d.id);
    const next = await planMain(repo, emulator);
    assert.is(next.code, 0, next.output);
  });
});

test("main moved while the apply ran: the state commit is replayed on it and pushed", async () => {
  return withEmulator({ seed: world([...fleet]), credentials }, {}, async ({ emulator, dir }) => {
    const repo = await repository(dir, manifest);
    assert.ok((await job("plan", repo, emulator, pullRequest(repo))).ok);
    const merged = await job("apply", repo, emulator, push(repo), async (step) => {
      if (step.id !== "gh-install") return;
      // Another pull request, one that does not touch decom/, is merged meanwhile.
      const other = await sh(`echo docs > README.md && git add README.md && ${git} commit -qm docs && git push -q`, repo.root, {
        PATH,
        HOME: dir,
      });
      assert.is(other.code, 0, other.output);
    });
    assert.ok(merged.ok, merged.log);
    assert.match(merged.log, "main moved (attempt 1): replaying the state commit on it.");
    const history = (await origin(repo, `log --format=%s ${repo.merged}..main`)).trim().split("\n");
    assert.equal(history, [`decom: state after applying ${repo.merged.slice(0, 7)}`, "docs"]);
  });
});

test("main moved with another state: the job keeps its own state as an artifact, intact, and fails saying so", async () => {
  return withEmulator({ seed: world([...fleet]), credentials }, {}, async ({ emulator, dir }) => {
    const repo = await repository(dir, manifest);
    assert.ok((await job("plan", repo, emulator, pullRequest(repo))).ok);
    const merged = await job("apply", repo, emulator, push(repo), async (step) => {
      if (step.id !== "gh-install") return;
      // Meanwhile, by hand: an apply of one id, its state committed to main.
      const other = await sh(
        `decom apply --auto-approve --target dev-0001 && git add decom.state.json && ${git} commit -qm manual && git push -q`,
        join(repo.root, "decom"),
        {
          PATH: `${repo.bin}:${PATH}`,
          HOME: dir,
          WAYLAY_GATEWAY_URL: emulator.url,
          WAYLAY_API_KEY: "ci-key",
          WAYLAY_API_SECRET: "ci-secret",
        },
      );
      assert.is(other.code, 0, other.output);
    });
    assert.not.ok(merged.ok);
    assert.match(merged.log, "main moved (attempt 1): replaying the state commit on it.");
    assert.match(merged.log, "Could not push the state: it is kept as the artifact decom-state.");
    assert.equal(merged.uploaded, { "decom-state": ["decom.state.json"] });
    const kept = JSON.parse(readFileSync(join(merged.artifact("decom-state"), "decom.state.json"), "utf8"));
    assertValid("state", kept, "the state kept");
    assert.is(Object.keys(kept.resources).length, 30, "the job's own record of its apply");
    assert.equal((await origin(repo, `log --format=%s ${repo.merged}..main`)).trim().split("\n"), ["manual"]);
  });
});

test("each job has only the permissions it needs", () => {
  const permissions = (name: string) => workflow.jobs[name]!.permissions ?? workflow.permissions;
  assert.equal(workflow.permissions, {}, "none for a job that names none");
  assert.equal(permissions("plan"), { contents: "read", "pull-requests": "write" });
  assert.equal(permissions("apply"), { contents: "write", "pull-requests": "read", actions: "read" });
});

test.run();
