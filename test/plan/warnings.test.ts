/** The facts behind plan-time warnings: explicit ids never seen (a typo?) and a manifest with no guard. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseManifest } from "../../src/manifest/load.js";
import { diffChanges } from "../../src/plan/diff.js";
import { SAMPLE_SIZE } from "../../src/plan/model.js";
import { planWarnings } from "../../src/plan/warnings.js";
import { emptyState, type StateRecord } from "../../src/state/model.js";

const test = suite("plan: warnings (ids not found, no guard)");

const manifest = (yaml: string) => parseManifest(yaml, "retire.yaml", "0".repeat(64));
const live = (ids: string[], types: string[] = []) => ({
  resources: new Map(ids.map((id) => [id, { id }])),
  resourceTypes: new Map(types.map((id) => [id, { id }])),
  matches: new Map<string, string[]>(),
});
const record = (status: StateRecord["status"]): StateRecord => ({ status, time: "2026-01-01T00:00:00.000Z", entry: "id" });

test("an explicit id not on the tenant and not in the state is named with its line; one the state knows is not", () => {
  const m = manifest(
    [
      "version: 1",
      "resourceTypes:",
      "  - id: legacy-typo", // line 3
      "resources:",
      "  - id: dev-0001",
      "  - id: dev-00002", // line 6: the typo
      "  - id: was-deleted",
      "  - id: was-failed",
      "  - id: was-absent",
      "guard:",
      "  maxDeletes: 10",
    ].join("\n"),
  );
  const state = emptyState("11111111-1111-4111-8111-111111111111", "http://127.0.0.1:1");
  state.resource.set("was-deleted", record("deleted"));
  state.resource.set("was-failed", record("failed"));
  state.resource.set("was-absent", record("absent"));
  const changes = diffChanges(m, state, live(["dev-0001"]));
  assert.equal(planWarnings(changes, m), [
    {
      code: "not-found",
      manifest: "retire.yaml",
      count: 2,
      ids: [
        { kind: "resourceType", id: "legacy-typo", source: { line: 3, column: 9 } },
        { kind: "resource", id: "dev-00002", source: { line: 6, column: 9 } },
      ],
    },
  ]);
});

test("a selector's matches are never 'not found'; nothing to say about a guarded manifest whose ids all exist", () => {
  const m = manifest("version: 1\nresources:\n  - id: a\n  - select: {tags: [old]}\nguard: {maxDeletes: 5}\n");
  const facts = { ...live(["a", "b"]), matches: new Map([["select?tag=old", ["b"]]]) };
  assert.equal(planWarnings(diffChanges(m, null, facts), m), []);
});

test(`many ids not found: the first ${SAMPLE_SIZE} in manifest order, with positions, and how many in all`, () => {
  const ids = Array.from({ length: 25 }, (_, i) => `ghost-${String(25 - i).padStart(2, "0")}`);
  const m = manifest(`version: 1\nguard:\n  maxDeletes: 1\nresources:\n${ids.map((id) => `  - id: ${id}\n`).join("")}`);
  const [warning] = planWarnings(diffChanges(m, null, live([])), m);
  assert.ok(warning?.code === "not-found");
  if (warning?.code !== "not-found") return;
  assert.is(warning.count, 25);
  assert.equal(
    warning.ids.map((n) => `${n.id}@${n.source?.line}`),
    ids.slice(0, SAMPLE_SIZE).map((id, i) => `${id}@${i + 5}`),
  );
});

test("no guard.maxDeletes (no guard section, or an empty one): a no-guard warning naming the manifest", () => {
  for (const yaml of ["version: 1\n", "version: 1\nguard: {}\n"]) {
    const m = manifest(yaml);
    assert.equal(planWarnings([], m), [{ code: "no-guard", manifest: "retire.yaml" }], yaml);
  }
  assert.equal(planWarnings([], manifest("version: 1\nguard: {maxDeletes: 0}\n")), []);
});

test("a manifest built in memory (no positions): the ids without a source", () => {
  const m = { ...manifest("version: 1\nguard: {maxDeletes: 1}\nresources:\n  - id: gone\n") };
  assert.is(m.positions, undefined, "the spread drops the non-enumerable positions");
  assert.equal(planWarnings(diffChanges(m, null, live([])), m), [
    { code: "not-found", manifest: "retire.yaml", count: 1, ids: [{ kind: "resource", id: "gone" }] },
  ]);
});

test.run();
