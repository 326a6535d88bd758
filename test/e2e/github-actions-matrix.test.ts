/**
 * examples/github-actions/decom-matrix.yml, run for real: the "tenants" job
 * lists the changed tenant folders, then each tenant's plan job, and on merge
 * each tenant's apply job, runs its `run:` steps side by side with the other
 * tenant's, each in a clone of its own (as each job gets a runner of its own),
 * against two emulated tenants with their own credentials and gateways. The
 * gh- steps are replaced by files, as in github-actions.test.ts.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withEmulator } from "../helpers/emulator-suite.js";
import { assertValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";
import { type Contexts, expand, expandAll, installDecom, readWorkflow, runSteps, sh, type Step } from "../helpers/workflow.js";

const test = suite("e2e: the GitHub Actions matrix workflow, one job per tenant");
const workflow = readWorkflow("decom-matrix.yml");
const PATH = process.env.PATH ?? "";
const git = "git -c user.name=dev -c user.email=dev@example.com";

interface Entry {
  tenant: string;
  secrets: string;
}

/** A bare origin in `dir` whose main holds `main`, and a branch `retire` that changes it by `change` (null removes a file). */
async function fleetRepository(dir: string, main: Record<string, string>, change: Record<string, string | null>) {
  const origin = join(dir, "origin.git");
  const seed = join(dir, "seed");
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
  await run(`git checkout -q -b retire && git add -A && ${git} commit -qm "retire the legacy fleets" && git push -q origin retire`);
  const head = await run("git rev-parse HEAD");
  /** The pull request is merged: main moves to its head. */
  const merge = () => run("git push -q origin retire:main");
  return { origin, base, head, merge };
}

/** What actions/checkout leaves: a clone of `origin` at `branch`, for one job. */
async function checkout(origin: string, branch: string, where: string): Promise<string> {
  const result = await sh(`git clone -q -b ${branch} "${origin}" "${where}"`, dirname(origin), { PATH });
  assert.is(result.code, 0, result.output);
  return where;
}

interface Event {
  name: "pull_request" | "push";
  base: string;
  sha: string;
}

function githubContext(event: Event) {
  return {
    event_name: event.name,
    ref: event.name === "pull_request" ? "refs/pull/7/merge" : "refs/heads/main",
    event: event.name === "pull_request" ? { pull_request: { base: { sha: event.base } } } : { before: event.base },
  };
}

function jobEnv(dir: string, event: Event): Record<string, string> {
  return {
    PATH: `${join(dir, "bin")}:${PATH}`,
    HOME: dir,
    GITHUB_SHA: event.sha,
    GITHUB_REF_NAME: "main",
    GITHUB_REPOSITORY: "acme/fleet",
    GITHUB_WORKFLOW: "decom-matrix",
    ...expandAll(workflow.env, {}),
  };
}

/** The "tenants" job in `clone`: its log, and the matrix it hands to the plan and apply jobs. */
async function listTenants(clone: string, event: Event): Promise<{ ok: boolean; log: string; matrix?: Entry[] }> {
  const job = workflow.jobs.tenants!;
  const run = await runSteps(job.steps, {
    cwd: clone,
    env: jobEnv(dirname(clone), event),
    outputFile: `${clone}.github-output`,
    contexts: { github: githubContext(event) },
    gh: () => {},
  });
  const matrix = expand(job.outputs!.matrix!, {
    steps: Object.fromEntries(Object.entries(run.outputs).map(([id, o]) => [id, { outputs: o }])),
  });
  return { ok: run.ok, log: run.log, ...(run.ok ? { matrix: JSON.parse(matrix) as Entry[] } : {}) };
}

interface TenantJob {
  ok: boolean;
  log: string;
  comment?: string;
}

/** Job `name` for one matrix `entry`, in `clone`; `artifacts` is where plans are uploaded and downloaded. */
async function runTenantJob(name: "plan" | "apply", entry: Entry, clone: string, event: Event, contexts: Contexts): Promise<TenantJob> {
  const job = workflow.jobs[name]!;
  const context = { ...contexts, matrix: entry, github: githubContext(event) };
  const cwd = join(clone, expand(job.defaults!.run["working-directory"], context));
  const artifacts = join(dirname(clone), "artifacts");
  const given = (step: Step, key: string) => expand(step.with?.[key] ?? step.env?.[key] ?? "", context);
  let comment: string | undefined;
  const run = await runSteps(job.steps, {
    cwd,
    env: { ...jobEnv(dirname(clone), event), ...expandAll(job.env, context) },
    outputFile: `${clone}.github-output`,
    contexts: context,
    gh: (step) => {
      if (step.id === "gh-comment") comment = readFileSync(join(clone, given(step, "path")), "utf8");
      if (step.id === "gh-upload-plan" && existsSync(join(clone, given(step, "path")))) {
        mkdirSync(join(artifacts, given(step, "name")), { recursive: true });
        copyFileSync(join(clone, given(step, "path")), join(artifacts, given(step, "name"), "plan.json"));
      }
      const reviewed = join(artifacts, given(step, "ARTIFACT"), "plan.json");
      if (step.id === "gh-reviewed-plan" && existsSync(reviewed)) copyFileSync(reviewed, join(cwd, "plan.json"));
    },
  });
  return { ok: run.ok, log: run.log, ...(comment !== undefined ? { comment } : {}) };
}

const manifest = (ids: string[]) =>
  `version: 1\nguard:\n  maxDeletes: 100\nresources:\n${ids.map((id) => `  - id: ${id}`).join("\n")}\nresourceTypes:\n  - id: legacy\n`;
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

test("two tenants planned side by side in a pull request, applied side by side on merge, each state committed in its folder", async () => {
  const prodCredentials = { kind: "basic" as const, apiKey: "prod-key", apiSecret: "prod-secret" };
  const stagingCredentials = { kind: "basic" as const, apiKey: "staging-key", apiSecret: "staging-secret" };
  const prodWorld = world([...prodFleet, ...devices("keep", 2, "current")]);
  return withEmulator({ seed: prodWorld, credentials: prodCredentials }, {}, ({ emulator: prod, dir }) =>
    withEmulator({ seed: world(stagingFleet), credentials: stagingCredentials }, {}, async ({ emulator: staging }) => {
      installDecom(join(dir, "bin"));
      const repo = await fleetRepository(
        dir,
        { "tenants/acme-dev/decom.yaml": manifest(["dev-0001"]), "tenants/acme-prod/decom.yaml": manifest([]) },
        {
          "tenants/acme-prod/decom.yaml": manifest(prodFleet.map((d) => d.id)),
          "tenants/acme-staging/decom.yaml": manifest(stagingFleet.map((d) => d.id)),
        },
      );
      // The repository's secrets and variables: staging has no gateway variable of its own and takes WAYLAY_GATEWAY_URL.
      const contexts = {
        secrets: {
          ACME_PROD_API_KEY: "prod-key",
          ACME_PROD_API_SECRET: "prod-secret",
          ACME_STAGING_API_KEY: "staging-key",
          ACME_STAGING_API_SECRET: "staging-secret",
        },
        vars: { ACME_PROD_GATEWAY_URL: prod.url, WAYLAY_GATEWAY_URL: staging.url },
      };
      const expected = [
        { tenant: "acme-prod", secrets: "ACME_PROD" },
        { tenant: "acme-staging", secrets: "ACME_STAGING" },
      ];

      // The pull request.
      const pr: Event = { name: "pull_request", base: repo.base, sha: repo.head };
      const listed = await listTenants(await checkout(repo.origin, "retire", join(dir, "pr-tenants")), pr);
      assert.ok(listed.ok, listed.log);
      assert.equal(listed.matrix, expected, "the changed folders, not acme-dev");
      const prClones = await Promise.all(expected.map((e) => checkout(repo.origin, "retire", join(dir, `pr-plan-${e.tenant}`))));
      const plans = await Promise.all(expected.map((e, i) => runTenantJob("plan", e, prClones[i]!, pr, contexts)));
      for (const run of plans) assert.ok(run.ok, run.log);
      assert.ok(
        plans[0]!.comment!.startsWith("Tenant: `tenants/acme-prod`\n\n### decom plan: 31 to delete, 0 already absent"),
        plans[0]!.comment,
      );
      assert.ok(
        plans[1]!.comment!.startsWith("Tenant: `tenants/acme-staging`\n\n### decom plan: 21 to delete, 0 already absent"),
        plans[1]!.comment,
      );
      for (const e of expected)
        assert.ok(existsSync(join(dir, "artifacts", `decom-plan-${e.tenant}`, "plan.json")), `${e.tenant}'s plan is kept`);
      for (const [i, e] of expected.entries()) {
        const files = await touched(prClones[i]!);
        assert.ok(files.length > 0 && files.every((f) => f.startsWith(`tenants/${e.tenant}/`)), `${e.tenant}'s plan job wrote ${files}`);
      }
      assert.is(prod.count("POST") + staging.count("POST"), 0, "a pull request deletes nothing");

      // The merge: each tenant's apply job gets a fresh checkout of main (both made before either pushes).
      await repo.merge();
      const push: Event = { name: "push", base: repo.base, sha: repo.head };
      assert.equal((await listTenants(await checkout(repo.origin, "main", join(dir, "push-tenants")), push)).matrix, expected);
      const clones = await Promise.all(expected.map((e) => checkout(repo.origin, "main", join(dir, `apply-${e.tenant}`))));
      const applies = await Promise.all(expected.map((e, i) => runTenantJob("apply", e, clones[i]!, push, contexts)));
      for (const run of applies) assert.ok(run.ok, run.log);
      for (const d of prodFleet) assert.not.ok(prod.tenant.resources.has(d.id));
      for (const d of stagingFleet) assert.not.ok(staging.tenant.resources.has(d.id));
      assert.ok(prod.tenant.resources.has("keep-0001"));
      const replayed = applies.filter((run) => run.log.includes("main moved (attempt 1): replaying the state commit on it."));
      assert.is(replayed.length, 1, "the second push found main moved by the first, and replayed its commit on it");

      // On main: two state commits, each touching its own tenant's state only.
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
    const clone = await checkout(repo.origin, "retire", join(dir, "tenants"));
    const changed = await listTenants(clone, { name: "pull_request", base: repo.base, sha: repo.head });
    assert.equal(changed.matrix, [{ tenant: "acme-dev", secrets: "ACME_DEV" }], changed.log);

    const none = await listTenants(clone, { name: "pull_request", base: repo.head, sha: repo.head });
    assert.equal(none.matrix, [], none.log);
    assert.match(none.log, "No tenant folder with a decom.yaml changed.");

    const unknown = await listTenants(clone, { name: "push", base: "0".repeat(40), sha: repo.head });
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
    const clone = await checkout(repo.origin, "retire", join(dir, "tenants"));
    const listed = await listTenants(clone, { name: "pull_request", base: repo.base, sha: repo.head });
    assert.not.ok(listed.ok);
    assert.match(
      listed.log,
      "tenants/acme prod: a tenant folder is named with a letter, then letters, digits, - or _ (it names the secrets)",
    );
  });
});

test("a tenant whose secrets are not set: its job fails naming them, and sends nothing", async () => {
  return withEmulator({ seed: world(prodFleet) }, {}, async ({ emulator, dir }) => {
    installDecom(join(dir, "bin"));
    const repo = await fleetRepository(dir, {}, { "tenants/acme-qa/decom.yaml": manifest(["prod-0001"]) });
    const clone = await checkout(repo.origin, "retire", join(dir, "plan"));
    const contexts = { secrets: { ACME_PROD_API_KEY: "k", ACME_PROD_API_SECRET: "s" }, vars: { WAYLAY_GATEWAY_URL: emulator.url } };
    const pr: Event = { name: "pull_request", base: repo.base, sha: repo.head };
    const run = await runTenantJob("plan", { tenant: "acme-qa", secrets: "ACME_QA" }, clone, pr, contexts);
    assert.not.ok(run.ok);
    assert.match(run.log, "tenants/acme-qa: set the secrets ACME_QA_API_KEY and ACME_QA_API_SECRET");
    assert.not.match(run.log, "--- Plan\n", "decom did not run");
    assert.is(emulator.count(), 0);
  });
});

test.run();
