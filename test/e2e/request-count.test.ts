/**
 * What a plan costs the tenant, against the formula in the README:
 *   ceil(R/100) + ceil(T/100) + Σ max(1, ceil(M/1000)) + children(D, P) + ceil(DT/250)
 * for R explicit resource ids, T explicit type ids, selectors matching M each,
 * D resources and DT types to delete (no blockers), P resources on the tenant
 * that have a parent; children(D, P) is ceil(D/250) when that is at most 1, else
 * 1 + min(ceil(P/1000), ceil(D/250)). With --check-referrers, plus one
 * referrers listing per resource to delete: D (each with fewer than 1,000 referrers).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: plan request count");

const ceil = (n: number, d: number) => Math.ceil(n / d);

function children(D: number, P: number): number {
  return ceil(D, 250) <= 1 ? ceil(D, 250) : 1 + Math.min(ceil(P, 1000), ceil(D, 250));
}

function formula(R: number, T: number, selectorMatches: number[], D: number, DT: number, P: number): number {
  return ceil(R, 100) + ceil(T, 100) + selectorMatches.reduce((n, m) => n + Math.max(1, ceil(m, 1000)), 0) + children(D, P) + ceil(DT, 250);
}

for (const [label, parents] of [
  ["no resource on the tenant has a parent", false],
  ["20,000 other resources have parents", true],
] as const) {
  test(`a 2,000-id manifest with its two types costs exactly the README formula (${label}), whatever the tenant's size`, async () => {
    const fleet = [...devices("a", 1000, "type-a"), ...devices("b", 1000, "type-b")];
    const bystanders = devices("z", 20_000, "type-z", parents ? { parentId: "gw" } : {});
    return withEmulator(
      { seed: world([...fleet, ...bystanders, { id: "gw", resourceTypeId: "type-z" }]) },
      {
        "decom.yaml": manifestYaml(
          fleet.map((d) => d.id),
          ["type-a", "type-b"],
        ),
      },
      async ({ emulator, dir }) => {
        const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
        assert.is(plan.code, 0, plan.stdout + plan.stderr);
        assert.match(plan.stdout, "Plan: 2,002 to delete, 0 already absent, 0 to forget.");
        const P = parents ? 20_000 : 0;
        assert.is(emulator.requests.length, formula(2000, 2, [], 2000, 2, P));
        assert.is(emulator.requests.length, parents ? 31 : 23);
        const byKind = (test: (r: { path: string; search: string }) => boolean) => emulator.requests.filter(test).length;
        assert.is(
          byKind((r) => r.path === "/resources/v1/resources" && r.search.includes("id=")),
          20,
          "existence, 100 ids each",
        );
        assert.is(
          byKind((r) => r.path === "/resources/v1/resourcetypes"),
          1,
        );
        assert.is(
          byKind((r) => decodeURIComponent(r.search).includes("parentId:exists")),
          1,
          "one count of resources with a parent",
        );
        assert.is(
          byKind((r) => decodeURIComponent(r.search).includes("parentId:in(")),
          parents ? 8 : 0,
          "children counted, 250 parents each, only when cheaper",
        );
        assert.is(
          byKind((r) => decodeURIComponent(r.search).includes("resourceTypeId:in(")),
          1,
          "type usage counted",
        );
      },
    );
  });
}

test("--check-referrers adds one request per resource to delete, and only with the flag", async () => {
  const fleet = devices("r", 300, "type-r");
  const referring = devices("ref", 3, "type-z", { uses: { $ref: "/resources/r-0001" } });
  return withEmulator(
    { seed: world([...fleet, ...referring]) },
    { "decom.yaml": manifestYaml([...fleet, ...referring].map((d) => d.id)) },
    async ({ emulator, dir }) => {
      const referrers = () => emulator.requests.filter((r) => r.path.endsWith("/referrers")).length;
      const without = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
      assert.is(without.code, 0, without.stdout + without.stderr);
      assert.is(emulator.requests.length, formula(303, 0, [], 303, 0, 0));
      assert.is(referrers(), 0);
      emulator.requests.length = 0;
      const checked = await decom(["plan", "--check-referrers"], { cwd: dir, endpoint: emulator.url });
      assert.is(checked.code, 0, checked.stdout + checked.stderr);
      assert.is(emulator.requests.length, formula(303, 0, [], 303, 0, 0) + 303);
      assert.is(referrers(), 303, "one referrers listing per resource to delete");
    },
  );
});

test("over 250 explicit ids: the count of resources with a parent goes out beside the lookups, not after them", async () => {
  const fleet = devices("a", 2000, "type-a");
  return withEmulator(
    { seed: world([...fleet, ...devices("z", 3000, "type-z", { parentId: "gw" }), { id: "gw", resourceTypeId: "type-z" }]) },
    { "decom.yaml": manifestYaml(fleet.map((d) => d.id)) },
    async ({ emulator, dir }) => {
      const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
      assert.is(plan.code, 0, plan.stdout + plan.stderr);
      assert.is(emulator.requests.length, formula(2000, 0, [], 2000, 0, 3000));
      const count = emulator.requests.findIndex((r) => r.search.includes("parentId%3Aexists%28%29") && r.search.includes("limit=1"));
      const lookups = emulator.requests.flatMap((r, i) => (r.search.includes("id=a-") ? [i] : []));
      assert.is(lookups.length, 20);
      assert.ok(count >= 0 && count < Math.max(...lookups), `the count is request ${count}, the last lookup ${Math.max(...lookups)}`);
    },
  );
});

test("selectors add one request per 1,000 matches", async () => {
  return withEmulator(
    { seed: world([...devices("s", 2500, "t", { customer: "acme" }), ...devices("x", 10)]) },
    { "decom.yaml": "version: 1\nresources:\n  - select:\n      customer: acme\n  - select:\n      customer: nobody\n  - id: x-0001\n" },
    async ({ emulator, dir }) => {
      const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
      assert.is(plan.code, 0, plan.stdout + plan.stderr);
      assert.is(emulator.requests.length, formula(1, 0, [2500, 0], 2501, 0, 0));
    },
  );
});

test("the children check starts on what the lookups have found, while one waits out a 429, and costs not one request more", async () => {
  // 600 children of a hub the plan keeps: counting their parents takes 3 requests, listing every child 1 (and its count).
  const fleet = devices("c", 600, "type-c", { parentId: "hub" });
  return withEmulator(
    { seed: world([...fleet, { id: "hub", resourceTypeId: "type-h" }]) },
    { "decom.yaml": manifestYaml(fleet.map((d) => d.id)) },
    async ({ emulator, dir }) => {
      let lookups = 0;
      // The first lookup is answered 429, Retry-After: 1: the other five have found 500 ids long before it is asked again.
      emulator.refuse = (r) => (r.search.startsWith("?id=") && lookups++ === 0 ? { status: 429, retryAfter: 1 } : undefined);
      const plan = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
      assert.is(plan.code, 0, plan.stdout + plan.stderr);
      assert.match(plan.stdout, "Plan: 600 to delete, 0 already absent, 0 to forget.");
      const searches = emulator.requests.map((r) => decodeURIComponent(r.search));
      const listing = searches.findIndex((s) => s.includes("parentId:exists()") && s.includes("skip="));
      const retried = searches.lastIndexOf(searches.find((s) => s.startsWith("?id="))!);
      assert.ok(listing >= 0 && listing < retried, `the listing of every child came after the last lookup: ${searches.join("\n")}`);
      // The formula's requests, and the one the 429 repeated.
      assert.is(emulator.requests.length, formula(600, 0, [], 600, 0, 600) + 1);
    },
  );
});

test.run();
