/**
 * examples/github-actions/decom-matrix.yml, run for real: the "tenants" job
 * lists the changed tenant folders, then each tenant's plan job, and on merge
 * each tenant's apply job, runs its `run:` steps side by side with the other
 * tenant's, each on a runner (a clone) of its own, against two emulated tenants
 * with their own credentials and gateways. The gh- steps and `gh` itself are
 * stood in for as in github-actions.test.ts (test/helpers/workflow.ts).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Emulator } from "../../src/emulator/server.js";
import { waitFor } from "../helpers/child.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { assertValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";
import {
  type Contexts,
  expand,
  FakeGitHub,
  GIT_AS_DEV as git,
  type GitHubEvent,
  installDecom,
  pushTriggers,
  readWorkflow,
  runJob,
  sh,
  type Step,
} from "../helpers/workflow.js";

const test = suite("e2e: the GitHub Actions matrix workflow, one job per tenant");
const workflow = readWorkflow("decom-matrix.yml");
const PATH = process.env.PATH ?? "";

interface Entry {
  tenant: string;
  secrets: string;
}

/**
 * A bare origin in `dir` whose main holds `main`, and a branch `retire` that
 * changes it by `change` (null removes a file): pull request #7, planned in run
 * `prRun`, merged by `merge()`; a seed clone to push other changes from; decom
 * (recording its process ids in `pids`) and the fake gh on PATH.
 */
async function fleetRepository(dir: string, main: Record<string, string>, change: Record<string, string | null>) {
  const origin = join(dir, "origin.git");
  const seed = join(dir, "seed");
  const bin = join(dir, "bin");
  const pids = join(dir, "decom-pids");
  installDecom(bin, pids);
  const github = new FakeGitHub(join(dir, "github"));
  github.install(bin);
  mkdirSync(seed, { recursive: true });
  const write = (files: Record<string, string | null>) => {
    for (const [path, text] of Object.entries(files)) {
      if (text === null) rmSync(join(seed, path));
      else {
        mkdirSync(dirname(join(seed, path)), { recursive: true });
        writeFileSync(join(seed, path), text);
      }
    }
  };
  const run = async (script: string) => {
    const result = await sh(script, seed, { PATH, HOME: dir });
    assert.is(result.code, 0, result.output);
    return result.output.trim();
  };
  await run(`git init -q --bare -b main "${origin}" && git init -q -b main && git remote add origin "${origin}"`);
  write({ ".gitignore": "*.state.json.lock\n", ...main });
  await run(`git add -A && ${git} commit -qm "the fleet" && git push -q -u origin main`);
  const base = await run("git rev-parse HEAD");
  write(change);
  await run(`git checkout -q -b retire && git add -A && ${git} commit -qm "retire the legacy fleets (#7)" && git push -q origin retire`);
  const head = await run("git rev-parse HEAD");
  github.merged(head, 7, "retire");
  /** The pull request is merged: main moves to its head. */
  const merge = () => run("git push -q origin retire:main");
  return { dir, origin, seed, bin, pids, github, prRun: github.pullRequestRun("retire"), base, head, merge, write, run };
}

type Fleet = Awaited<ReturnType<typeof fleetRepository>>;

/** Pull request #7 (`retire`), planned on its head; the push that merged it; another push. */
const pullRequest = (repo: Fleet, fork?: string): GitHubEvent => ({
  name: "pull_request",
  sha: repo.head,
  payload: { pull_request: { base: { sha: repo.base }, head: { repo: { full_name: fork ?? "acme/fleet" } } } },
});
const push = (repo: Fleet, before = repo.base, sha = repo.head): GitHubEvent => ({ name: "push", sha, payload: { before } });

let jobs = 0;
/** A folder of its own for the next job, as each job gets a runner of its own. */
const runner = (repo: Fleet, name: string) => join(repo.dir, `job-${++jobs}-${name}`);

/** The "tenants" job: its log, and the matrix it hands to the plan and apply jobs. */
async function listTenants(repo: Fleet, event: GitHubEvent): Promise<{ ok: boolean; log: string; matrix?: Entry[] }> {
  const run = await runJob(workflow, "tenants", {
    where: runner(repo, "tenants"),
    origin: repo.origin,
    event,
    contexts: {},
    bin: repo.bin,
    github: repo.github,
    run: repo.prRun,
  });
  const matrix = expand(workflow.jobs.tenants!.outputs!.matrix!, {
    steps: Object.fromEntries(Object.entries(run.outputs).map(([id, o]) => [id, { outputs: o }])),
  });
  return { ok: run.ok, log: run.log, ...(run.ok ? { matrix: JSON.parse(matrix) as Entry[] } : {}) };
}

/** Job `name` for one matrix `entry`; `after` acts after each of its gh- steps. */
async function runTenantJob(
  name: "plan" | "apply",
  entry: Entry,
  repo: Fleet,
  event: GitHubEvent,
  contexts: Contexts,
  after?: (step: Step) => Promise<void>,
) {
  const where = runner(repo, `${name}-${entry.tenant}`);
  const run = await runJob(workflow, name, {
    where,
    origin: repo.origin,
    event,
    contexts: { ...contexts, matrix: entry },
    bin: repo.bin,
    github: repo.github,
    run: event.name === "pull_request" ? repo.prRun : `push-${event.sha}`,
    ...(after ? { after } : {}),
  });
  return { ...run, where };
}

const manifest = (ids: string[], maxDeletes = 100) =>
  `version: 1\nguard:\n  maxDeletes: ${maxDeletes}\n` +
  `resources:\n${ids.map((id) => `  - id: ${id}`).join("\n")}\nresourceTypes:\n  - id: legacy\n`;
const prodFleet = devices("prod", 30, "legacy");
const stagingFleet = devices("stg", 20, "legacy");

/** `${{ text }}`, as the workflow writes it. */
const expression = (text: string) => `\${{ ${text} }}`;

/** Files a job left in its clone (changed or new), relative to the clone. */
async function touched(clone: string): Promise<string[]> {
  const status = await sh("git status --porcelain --untracked-files=all", clone, { PATH });
  return status.output
    .split("\n")
    .filter(Boolean)
    .map((l) => l.slice(3));
}

test("the workflow parses; plan and apply run once per tenant, each in a concurrency group named after its tenant", () => {
  for (const name of ["plan", "apply"]) {
    const job = workflow.jobs[name]!;
    assert.is(job.needs, "tenants");
    assert.match(job.if!, "needs.tenants.outputs.matrix != '[]'", `${name} is skipped when no tenant changed`);
    assert.equal(job.strategy, { "fail-fast": false, matrix: { include: expression("fromJSON(needs.tenants.outputs.matrix)") } });
    assert.match(job.concurrency!.group, expression("matrix.tenant"), `${name}'s concurrency group names the tenant`);
    assert.is(job.defaults!.run["working-directory"], `tenants/${expression("matrix.tenant")}`);
    assert.is(job.env!.WAYLAY_API_KEY, expression("secrets[format('{0}_API_KEY', matrix.secrets)]"));
    const groups = ["acme-prod", "acme-staging"].map((tenant) =>
      expand(job.concurrency!.group, { matrix: { tenant }, github: { ref: "refs/pull/7/merge" } }),
    );
    assert.is.not(groups[0], groups[1], "two tenants never wait for each other");
  }
  const group = (name: string) =>
    expand(workflow.jobs[name]!.concurrency!.group, { matrix: { tenant: "acme-prod" }, github: { ref: "refs/heads/main" } });
  assert.is(group("apply"), "decom-apply-acme-prod");
  assert.is.not(group("plan"), group("apply"), "a plan never cancels nor queues behind an apply");
  assert.is(workflow.jobs.apply!.concurrency!["cancel-in-progress"], false, "an apply in progress is never cancelled");
});

test("the README's excerpt of the apply job is the workflow's", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("### Many tenants"));
  const excerpt = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(excerpt, "the section shows the apply job");
  const source = readFileSync(new URL("../../examples/github-actions/decom-matrix.yml", import.meta.url), "utf8");
  const lines = new Set(source.split("\n").map((l) => l.replace(/ +# .*$/, "")));
  const missing = excerpt.split("\n").filter((l) => l !== "" && !lines.has(l));
  assert.equal(missing, [], "README lines not in the workflow");
});

/** Both prod and staging tenants' secrets and variables: staging has no gateway variable of its own and takes WAYLAY_GATEWAY_URL. */
function fleetContexts(prod: Emulator, staging: Emulator): Contexts {
  return {
    secrets: {
      ACME_PROD_API_KEY: "prod-key",
      ACME_PROD_API_SECRET: "prod-secret",
      ACME_STAGING_API_KEY: "staging-key",
      ACME_STAGING_API_SECRET: "staging-secret",
    },
    vars: { ACME_PROD_GATEWAY_URL: prod.url, WAYLAY_GATEWAY_URL: staging.url },
  };
}
const prodCredentials = { kind: "basic" as const, apiKey: "prod-key", apiSecret: "prod-secret" };
const stagingCredentials = { kind: "basic" as const, apiKey: "staging-key", apiSecret: "staging-secret" };

/** Resolves once `n` callers are waiting on it. */
function barrier(n: number): () => Promise<void> {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    if (++waiting === n) release();
    return all;
  };
}

test("two tenants planned side by side in a pull request, applied side by side on merge, each state committed in its folder", async () => {
  const prodWorld = world([...prodFleet, ...devices("keep", 2, "current")]);
  return withEmulator({ seed: prodWorld, credentials: prodCredentials }, {}, ({ emulator: prod, dir }) =>
    withEmulator({ seed: world(stagingFleet), credentials: stagingCredentials }, {}, async ({ emulator: staging }) => {
      const repo = await fleetRepository(
        dir,
        { "tenants/acme-dev/decom.yaml": manifest(["dev-0001"]), "tenants/acme-prod/decom.yaml": manifest([]) },
        {
          "tenants/acme-prod/decom.yaml": manifest(prodFleet.map((d) => d.id)),
          "tenants/acme-staging/decom.yaml": manifest(stagingFleet.map((d) => d.id)),
        },
      );
      const contexts = fleetContexts(prod, staging);
      const expected = [
        { tenant: "acme-prod", secrets: "ACME_PROD" },
        { tenant: "acme-staging", secrets: "ACME_STAGING" },
      ];

      // The pull request.
      const listed = await listTenants(repo, pullRequest(repo));
      assert.ok(listed.ok, listed.log);
      assert.equal(listed.matrix, expected, "the changed folders, not acme-dev");
      const plans = await Promise.all(expected.map((e) => runTenantJob("plan", e, repo, pullRequest(repo), contexts)));
      for (const run of plans) assert.ok(run.ok, run.log);
      assert.ok(
        plans[0]!.comment!.startsWith("Tenant: `tenants/acme-prod`\n\n### decom plan: 31 to delete, 0 already absent"),
        plans[0]!.comment,
      );
      assert.ok(
        plans[1]!.comment!.startsWith("Tenant: `tenants/acme-staging`\n\n### decom plan: 21 to delete, 0 already absent"),
        plans[1]!.comment,
      );
      for (const [i, e] of expected.entries()) {
        assert.equal(plans[i]!.uploaded, { [`decom-plan-${e.tenant}`]: ["plan.json"] }, `${e.tenant}'s plan is kept`);
        const files = await touched(plans[i]!.where);
        assert.ok(files.length > 0 && files.every((f) => f.startsWith(`tenants/${e.tenant}/`)), `${e.tenant}'s plan job wrote ${files}`);
      }
      assert.is(prod.count("POST") + staging.count("POST"), 0, "a pull request deletes nothing");

      // The merge: each tenant's apply job checks out main, both before either pushes its state.
      await repo.merge();
      assert.equal((await listTenants(repo, push(repo))).matrix, expected);
      const checkedOut = barrier(2);
      const applies = await Promise.all(
        expected.map((e) =>
          runTenantJob("apply", e, repo, push(repo), contexts, (step) => (step.id === "gh-install" ? checkedOut() : Promise.resolve())),
        ),
      );
      for (const run of applies) assert.ok(run.ok, run.log);
      for (const d of prodFleet) assert.not.ok(prod.tenant.resources.has(d.id));
      for (const d of stagingFleet) assert.not.ok(staging.tenant.resources.has(d.id));
      assert.ok(prod.tenant.resources.has("keep-0001"));
      const replayed = applies.filter((run) => run.log.includes("main moved (attempt 1): replaying the state commit on it."));
      assert.is(replayed.length, 1, "the second push found main moved by the first, and replayed its commit on it");

      // On main: two state commits, each touching its own tenant's state only, neither starting the workflow again.
      const history = await sh(`git log --format='%x1e%s' --name-only ${repo.head}..main`, dir, { PATH, GIT_DIR: repo.origin });
      const commits = history.output
        .split("\x1e")
        .filter(Boolean)
        .map((c) => c.trim().replace(/\n+/g, "\n"))
        .sort();
      assert.equal(commits, [
        `decom: state of acme-prod after applying ${repo.head.slice(0, 7)}\ntenants/acme-prod/decom.state.json`,
        `decom: state of acme-staging after applying ${repo.head.slice(0, 7)}\ntenants/acme-staging/decom.state.json`,
      ]);
      for (const commit of commits) assert.not.ok(pushTriggers(workflow, commit.split("\n").slice(1)), commit);
      assert.ok(pushTriggers(workflow, ["tenants/acme-prod/decom.state.json", "tenants/acme-prod/decom.yaml"]));
      for (const [e, count] of [
        ["acme-prod", 30],
        ["acme-staging", 20],
      ] as const) {
        const shown = await sh(`git show main:tenants/${e}/decom.state.json`, dir, { PATH, GIT_DIR: repo.origin });
        const state = JSON.parse(shown.output);
        assertValid("state", state, `${e}'s committed state`);
        assert.is(Object.keys(state.resources).length, count, e);
      }
    }),
  );
});

/**
 * One tenant's apply job killed mid-apply (its decom SIGKILLed once the
 * service accepted the first batch, which runs on), its state and journal
 * committed by the always() step; then that job run again, same commit, as
 * "Re-run failed jobs" does, while the other tenant's state commit has moved main.
 */
test("a re-run of a tenant's apply job that died midway resumes from what it committed: no id sent twice, all deleted", async () => {
  const big = devices("prod", 200, "legacy");
  const options = { seed: world(big), credentials: prodCredentials, timing: { startDelayMs: 10, perIdMs: 10 } };
  return withEmulator(options, {}, ({ emulator: prod, dir }) =>
    withEmulator({ seed: world(stagingFleet), credentials: stagingCredentials }, {}, async ({ emulator: staging }) => {
      const repo = await fleetRepository(
        dir,
        {},
        {
          "tenants/acme-prod/decom.yaml": manifest(
            big.map((d) => d.id),
            500,
          ),
          "tenants/acme-staging/decom.yaml": manifest(stagingFleet.map((d) => d.id)),
        },
      );
      const contexts = fleetContexts(prod, staging);
      const [prodEntry, stagingEntry] = [
        { tenant: "acme-prod", secrets: "ACME_PROD" },
        { tenant: "acme-staging", secrets: "ACME_STAGING" },
      ] as const;
      for (const e of [prodEntry, stagingEntry]) assert.ok((await runTenantJob("plan", e, repo, pullRequest(repo), contexts)).ok);
      await repo.merge();

      writeFileSync(repo.pids, "");
      const first = runTenantJob("apply", prodEntry, repo, push(repo), contexts);
      const journal = join(repo.dir, `job-${jobs}-apply-acme-prod`, "tenants", "acme-prod", "decom.state.json.journal");
      const read = () => {
        try {
          return readFileSync(journal, "utf8");
        } catch {
          return "";
        }
      };
      await waitFor(() => read().includes('"accepted"'), 30_000, "the first batch's acceptance journaled");
      process.kill(Number(readFileSync(repo.pids, "utf8").split("\n")[0]), "SIGKILL");
      const attempt = await first;
      assert.not.ok(attempt.ok);
      assert.match(attempt.log, "The reviewed plan of tenants/acme-prod was not applied in full.");
      assert.is(prod.batches.batches.size, 1, "killed while its one resource batch was running");
      const tree = () => sh("git ls-tree -r --name-only main tenants/", dir, { PATH, GIT_DIR: repo.origin });
      assert.match((await tree()).output, "tenants/acme-prod/decom.state.json.journal", "the journal was committed");
      assert.ok((await runTenantJob("apply", stagingEntry, repo, push(repo), contexts)).ok, "staging's job, meanwhile");

      const rerun = await runTenantJob("apply", prodEntry, repo, push(repo), contexts);
      const stats = prod.stats();
      console.log(`re-run: ${stats.batchesAccepted} batches, ${stats.idsAccepted} ids accepted, ${stats.idsAcceptedTwice} twice`);
      assert.ok(rerun.ok, rerun.log);
      assert.is(stats.idsAcceptedTwice, 0, "ids in two accepted batches");
      for (const d of big) assert.not.ok(prod.tenant.resources.has(d.id), d.id);
      assert.not.ok(prod.tenant.resourceTypes.has("legacy"));
      assert.equal((await tree()).output.trim().split("\n"), [
        "tenants/acme-prod/decom.state.json",
        "tenants/acme-prod/decom.yaml",
        "tenants/acme-staging/decom.state.json",
        "tenants/acme-staging/decom.yaml",
      ]);
      const state = JSON.parse((await sh("git show main:tenants/acme-prod/decom.state.json", dir, { PATH, GIT_DIR: repo.origin })).output);
      for (const d of big) assert.is(state.resources[d.id].status, "deleted", d.id);
    }),
  );
});

test("the tenants job: removed folders and loose files left out, no change an empty matrix, an unknown base takes all", async () => {
  return withEmulator({}, {}, async ({ dir }) => {
    const repo = await fleetRepository(
      dir,
      { "tenants/acme-dev/decom.yaml": manifest([]), "tenants/old/decom.yaml": manifest([]), "tenants/acme-qa/decom.yaml": manifest([]) },
      {
        "tenants/old/decom.yaml": null,
        "tenants/README.md": "One folder per tenant.\n",
        "tenants/acme-dev/.gitignore": "*.state.json.lock\n",
      },
    );
    const changed = await listTenants(repo, pullRequest(repo));
    assert.equal(changed.matrix, [{ tenant: "acme-dev", secrets: "ACME_DEV" }], changed.log);

    const none = await listTenants(repo, { ...pullRequest(repo), payload: { pull_request: { base: { sha: repo.head } } } });
    assert.equal(none.matrix, [], none.log);
    assert.match(none.log, "No tenant folder with a decom.yaml changed.");

    await repo.merge();
    const unknown = await listTenants(repo, push(repo, "0".repeat(40)));
    assert.match(unknown.log, `Cannot compare with ${"0".repeat(40)} (a new or force-pushed branch?): taking every tenant.`);
    assert.equal(unknown.matrix, [
      { tenant: "acme-dev", secrets: "ACME_DEV" },
      { tenant: "acme-qa", secrets: "ACME_QA" },
    ]);
  });
});

test("the tenants job refuses a folder whose name cannot name secrets, naming it", async () => {
  return withEmulator({}, {}, async ({ dir }) => {
    const repo = await fleetRepository(
      dir,
      {},
      { "tenants/acme prod/decom.yaml": manifest([]), "tenants/acme-qa/decom.yaml": manifest([]) },
    );
    const listed = await listTenants(repo, pullRequest(repo));
    assert.not.ok(listed.ok);
    assert.match(
      listed.log,
      "tenants/acme prod: a tenant folder is named with a letter, then letters, digits, - or _ (it names the secrets)",
    );
  });
});

test("the tenants job refuses two folders whose names give the same secrets, changed or not, naming both", async () => {
  return withEmulator({}, {}, async ({ dir }) => {
    const repo = await fleetRepository(
      dir,
      { "tenants/acme-prod/decom.yaml": manifest([]) },
      { "tenants/acme_prod/decom.yaml": manifest([]), "tenants/acme-qa/decom.yaml": manifest([]) },
    );
    const listed = await listTenants(repo, pullRequest(repo));
    assert.not.ok(listed.ok, listed.log);
    assert.match(
      listed.log,
      "tenants/acme-prod and tenants/acme_prod both name the secrets ACME_PROD_API_KEY and ACME_PROD_API_SECRET: " +
        "two jobs would apply to one tenant at once; rename one",
    );
  });
});

test("a tenant whose secrets are not set, or a pull request from a fork: its job fails saying which, and sends nothing", async () => {
  return withEmulator({ seed: world(prodFleet) }, {}, async ({ emulator, dir }) => {
    const repo = await fleetRepository(dir, {}, { "tenants/acme-qa/decom.yaml": manifest(["prod-0001"]) });
    const contexts = { secrets: { ACME_PROD_API_KEY: "k", ACME_PROD_API_SECRET: "s" }, vars: { WAYLAY_GATEWAY_URL: emulator.url } };
    const qa = { tenant: "acme-qa", secrets: "ACME_QA" };
    const run = await runTenantJob("plan", qa, repo, pullRequest(repo), contexts);
    assert.not.ok(run.ok);
    assert.match(run.log, "tenants/acme-qa: set the secrets ACME_QA_API_KEY and ACME_QA_API_SECRET");
    assert.not.match(run.log, "--- Plan\n", "decom did not run");

    // GitHub gives no secrets to a fork's pull request: setting them would not help.
    const fork = await runTenantJob("plan", qa, repo, pullRequest(repo, "someone/fleet"), { ...contexts, secrets: {} });
    assert.not.ok(fork.ok);
    assert.match(
      fork.log,
      "tenants/acme-qa: GitHub gives no secrets to a pull request from a fork (someone/fleet): " +
        "push its branch to acme/fleet and open the pull request from there to plan it",
    );
    assert.not.match(fork.log, "set the secrets");
    assert.is(emulator.count(), 0);
    // Unless the repository gives them to forks (a private repository may): then the fork's pull request is planned.
    const given = { ...contexts, secrets: { ACME_QA_API_KEY: "k", ACME_QA_API_SECRET: "s" } };
    const planned = await runTenantJob("plan", qa, repo, pullRequest(repo, "someone/fleet"), given);
    assert.match(planned.log, "--- Plan\n", "decom planned it");
    assert.not.match(planned.log, "from a fork");
  });
});

test("a push to main that merged no pull request: the tenant's job applies nothing and says there is no reviewed plan", async () => {
  return withEmulator({ seed: world(prodFleet) }, {}, async ({ emulator, dir }) => {
    const repo = await fleetRepository(dir, { "tenants/acme-qa/decom.yaml": manifest([]) }, { "tenants/README.md": "Tenants.\n" });
    await repo.run("git checkout -q main");
    repo.write({ "tenants/acme-qa/decom.yaml": manifest(["prod-0001"]) });
    const sha = await repo.run(`${git} commit -qam "straight to main" && git push -q && git rev-parse HEAD`);
    const contexts = { secrets: { ACME_QA_API_KEY: "k", ACME_QA_API_SECRET: "s" }, vars: { WAYLAY_GATEWAY_URL: emulator.url } };
    const run = await runTenantJob("apply", { tenant: "acme-qa", secrets: "ACME_QA" }, repo, push(repo, repo.base, sha), contexts);
    assert.not.ok(run.ok);
    assert.match(run.log, `${sha.slice(0, 7)} was pushed to main without a pull request.`);
    assert.match(run.log, "No reviewed plan was found for tenants/acme-qa in this merge; nothing was applied. A plan now shows:");
    assert.is(emulator.count("POST"), 0);
  });
});

test("each job has only the permissions it needs", () => {
  const permissions = (name: string) => workflow.jobs[name]!.permissions ?? workflow.permissions;
  assert.equal(workflow.permissions, {}, "none for a job that names none");
  assert.equal(permissions("tenants"), { contents: "read" });
  assert.equal(permissions("plan"), { contents: "read", "pull-requests": "write" });
  assert.equal(permissions("apply"), { contents: "write", "pull-requests": "read", actions: "read" });
});

test.run();
