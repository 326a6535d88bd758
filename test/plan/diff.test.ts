import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Manifest } from "../../src/manifest/model.js";
import { diffChanges } from "../../src/plan/diff.js";
import { emptyState, type StateRecord } from "../../src/state/model.js";

const test = suite("plan: diffChanges (spec §3 action table)");

const manifest = (ids: string[], types: string[] = []): Manifest => ({
  path: "decom.yaml",
  sha256: "0".repeat(64),
  resources: ids.map((id) => ({ id, cascade: ["tasks"] })),
  selectors: [],
  resourceTypes: types.map((id) => ({ id })),
  protect: { resources: [], resourceTypes: [] },
  guard: {},
});
const live = (ids: string[], types: string[] = []) => ({
  resources: new Map(ids.map((id) => [id, { id }])),
  resourceTypes: new Map(types.map((id) => [id, { id }])),
  matches: new Map<string, string[]>(),
});
const record = (status: StateRecord["status"], extra: Partial<StateRecord> = {}): StateRecord => ({
  status,
  time: "2026-01-01T00:00:00.000Z",
  entry: "id",
  ...extra,
});
function stateWith(records: Record<string, StateRecord>, types: Record<string, StateRecord> = {}) {
  const state = emptyState("11111111-1111-4111-8111-111111111111", "http://127.0.0.1:1");
  for (const [id, r] of Object.entries(records)) state.resource.set(id, r);
  for (const [id, r] of Object.entries(types)) state.resourceType.set(id, r);
  return state;
}
const brief = (changes: ReturnType<typeof diffChanges>) => changes.map((c) => `${c.kind}:${c.id}:${c.action}:${JSON.stringify(c.reason)}`);

test("in manifest, live, not in state → delete, with the entry's cascade", () => {
  const changes = diffChanges(manifest(["a"]), null, live(["a"]));
  assert.equal(changes, [
    { kind: "resource", id: "a", action: "delete", reason: { code: "in-manifest" }, entry: "id", cascade: ["tasks"] },
  ]);
});

test("in manifest, live, deleted before → delete: recreated since last apply", () => {
  assert.equal(brief(diffChanges(manifest(["a"]), stateWith({ a: record("deleted") }), live(["a"]))), [
    'resource:a:delete:{"code":"recreated","time":"2026-01-01T00:00:00.000Z"}',
  ]);
});

test("in manifest, not live, not in state → absent; in state → converged (no change)", () => {
  assert.equal(brief(diffChanges(manifest(["a", "b", "c"]), stateWith({ b: record("deleted"), c: record("absent") }), live([]))), [
    'resource:a:absent:{"code":"not-found"}',
  ]);
});

test("only in state → forget, for resources and types", () => {
  assert.equal(brief(diffChanges(manifest([]), stateWith({ old: record("deleted") }, { t: record("deleted") }), live(["old"]))), [
    'resource:old:forget:{"code":"entry-removed"}',
    'resourceType:t:forget:{"code":"entry-removed"}',
  ]);
});

test("failed before: retried while it exists, recorded absent once gone", () => {
  const state = stateWith({
    a: record("failed", { statusCode: 400, error: "busy" }),
    b: record("failed", { statusCode: 400, error: "busy" }),
  });
  assert.equal(brief(diffChanges(manifest(["a", "b"]), state, live(["a"]))), [
    'resource:a:delete:{"code":"retry-failed","error":"busy","statusCode":400}',
    'resource:b:absent:{"code":"gone-since-failure"}',
  ]);
});

test("changes are sorted: resources before types, then by id", () => {
  const changes = diffChanges(manifest(["b", "a"], ["t2", "t1"]), null, live(["a", "b"], ["t1", "t2"]));
  assert.equal(
    changes.map((c) => `${c.kind}:${c.id}`),
    ["resource:a", "resource:b", "resourceType:t1", "resourceType:t2"],
  );
  assert.is(changes[2]!.cascade, undefined, "types carry no cascade");
});

test.run();
