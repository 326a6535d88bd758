import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CascadeOption } from "../../src/manifest/model.js";
import type { Change } from "../../src/plan/model.js";
import { scheduleWaves } from "../../src/plan/schedule.js";

const test = suite("plan: scheduleWaves");

/** A deletion, with the parent the lookups found for it (a deletion carries it: the waves are made from it). */
function del(id: string, cascade: CascadeOption[] = [], parentId?: string): Change {
  return {
    kind: "resource",
    id,
    action: "delete",
    reason: { code: "in-manifest" },
    entry: "id",
    cascade,
    ...(parentId ? { parentId } : {}),
  };
}
const child = (id: string, parentId: string) => del(id, [], parentId);
const idsOf = (waves: ReturnType<typeof scheduleWaves>) => waves.map((w) => w.batches.map((b) => b.body.query.ids));

test("children before parents at any depth, resource types last", () => {
  const changes = [
    del("site"),
    child("gw", "site"),
    child("dev-1", "gw"),
    child("dev-2", "gw"),
    del("solo"),
    { kind: "resourceType", id: "t", action: "delete", reason: { code: "in-manifest" }, entry: "id" } as Change,
  ];
  const waves = scheduleWaves(changes, 100);
  assert.equal(idsOf(waves), [[["dev-1", "dev-2", "solo"]], [["gw"]], [["site"]], [["t"]]]);
  assert.equal(
    waves.map((w) => w.kind),
    ["resource", "resource", "resource", "resourceType"],
  );
});

test("a parent's wave follows its deepest child", () => {
  // a ← b ← c and a ← d: a must wait for b, which waits for c.
  assert.equal(idsOf(scheduleWaves([del("a"), child("b", "a"), child("c", "b"), child("d", "a")], 100)), [[["c", "d"]], [["b"]], [["a"]]]);
});

test("parents outside the deletion set do not hold anything back", () => {
  assert.equal(idsOf(scheduleWaves([child("x", "kept"), child("y", "kept")], 100)), [[["x", "y"]]]);
});

test("batches are grouped by cascade set and chunked by batch size", () => {
  const changes = [
    del("e", ["tasks"]),
    del("a", ["alarms", "tasks"]),
    del("b", ["alarms", "tasks"]),
    del("c", ["alarms", "tasks"]),
    del("d", []),
  ];
  const waves = scheduleWaves(changes, 2);
  assert.equal(waves.length, 1);
  assert.equal(
    waves[0]!.batches.map((b) => [b.body.query.ids, b.body.entity === "resource" ? b.body.actionParameters?.cascade : undefined]),
    [
      [["d"], []],
      [
        ["a", "b"],
        ["alarms", "tasks"],
      ],
      [["c"], ["alarms", "tasks"]],
      [["e"], ["tasks"]],
    ],
  );
});

test("a parentId cycle cannot hang the scheduler; its members go last", () => {
  assert.equal(idsOf(scheduleWaves([child("p", "q"), child("q", "p"), del("leaf")], 100)), [[["leaf"]], [["p", "q"]]]);
});

test("only deletions are scheduled", () => {
  const changes: Change[] = [
    { kind: "resource", id: "gone", action: "absent", reason: { code: "not-found" }, entry: "id" },
    { kind: "resource", id: "old", action: "forget", reason: { code: "entry-removed" }, entry: "id" },
  ];
  assert.equal(scheduleWaves(changes, 10), []);
});

test("a referrer before what it refers to, with children before parents; a reference cycle goes last", () => {
  const changes = ["a-target", "z-referrer", "chain-a", "chain-b", "chain-c", "leaf", "w-parent", "cyc-a", "cyc-b", "self"].map((id) =>
    id === "leaf" ? child(id, "w-parent") : del(id),
  );
  // target → its referrers in the plan: chain-c refers to chain-b, which refers to chain-a. w-parent refers to its
  // own child, which must also go first as a child: a cycle, like cyc-a and cyc-b; a reference to itself is none.
  const referrers = new Map([
    ["a-target", ["z-referrer"]],
    ["chain-a", ["chain-b"]],
    ["chain-b", ["chain-c"]],
    ["leaf", ["w-parent"]],
    ["cyc-a", ["cyc-b"]],
    ["cyc-b", ["cyc-a"]],
    ["self", ["self"]],
  ]);
  assert.equal(idsOf(scheduleWaves(changes, 100, referrers)), [
    [["chain-c", "self", "z-referrer"]],
    [["a-target", "chain-b"]],
    [["chain-a"]],
    [["cyc-a", "cyc-b", "leaf", "w-parent"]],
  ]);
});

test.run();
