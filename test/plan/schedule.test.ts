import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CascadeOption } from "../../src/manifest/model.js";
import type { Change, LiveFacts } from "../../src/plan/model.js";
import { scheduleWaves } from "../../src/plan/schedule.js";
import type { ResourceFacts } from "../../src/waylay/wire.js";

const test = suite("plan: scheduleWaves");

function del(id: string, cascade: CascadeOption[] = []): Change {
  return { kind: "resource", id, action: "delete", reason: { code: "in-manifest" }, entry: "id", cascade };
}
function facts(resources: ResourceFacts[]): LiveFacts {
  return { resources: new Map(resources.map((r) => [r.id, r])), resourceTypes: new Map(), matches: new Map() };
}
const idsOf = (waves: ReturnType<typeof scheduleWaves>) => waves.map((w) => w.batches.map((b) => b.body.query.ids));

test("children before parents at any depth, resource types last", () => {
  const live = facts([
    { id: "site" },
    { id: "gw", parentId: "site" },
    { id: "dev-1", parentId: "gw" },
    { id: "dev-2", parentId: "gw" },
    { id: "solo" },
  ]);
  const changes = [
    del("site"),
    del("gw"),
    del("dev-1"),
    del("dev-2"),
    del("solo"),
    { kind: "resourceType", id: "t", action: "delete", reason: { code: "in-manifest" }, entry: "id" } as Change,
  ];
  const waves = scheduleWaves(changes, live, 100);
  assert.equal(idsOf(waves), [[["dev-1", "dev-2", "solo"]], [["gw"]], [["site"]], [["t"]]]);
  assert.equal(
    waves.map((w) => w.kind),
    ["resource", "resource", "resource", "resourceType"],
  );
});

test("a parent's wave follows its deepest child", () => {
  // a ← b ← c and a ← d: a must wait for b, which waits for c.
  const live = facts([{ id: "a" }, { id: "b", parentId: "a" }, { id: "c", parentId: "b" }, { id: "d", parentId: "a" }]);
  assert.equal(idsOf(scheduleWaves([del("a"), del("b"), del("c"), del("d")], live, 100)), [[["c", "d"]], [["b"]], [["a"]]]);
});

test("parents outside the deletion set do not hold anything back", () => {
  const live = facts([
    { id: "x", parentId: "kept" },
    { id: "y", parentId: "kept" },
  ]);
  assert.equal(idsOf(scheduleWaves([del("x"), del("y")], live, 100)), [[["x", "y"]]]);
});

test("batches are grouped by cascade set and chunked by batch size", () => {
  const changes = [
    del("e", ["tasks"]),
    del("a", ["alarms", "tasks"]),
    del("b", ["alarms", "tasks"]),
    del("c", ["alarms", "tasks"]),
    del("d", []),
  ];
  const waves = scheduleWaves(changes, facts([]), 2);
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
  const live = facts([{ id: "p", parentId: "q" }, { id: "q", parentId: "p" }, { id: "leaf" }]);
  assert.equal(idsOf(scheduleWaves([del("p"), del("q"), del("leaf")], live, 100)), [[["leaf"]], [["p", "q"]]]);
});

test("only deletions are scheduled", () => {
  const changes: Change[] = [
    { kind: "resource", id: "gone", action: "absent", reason: { code: "not-found" }, entry: "id" },
    { kind: "resource", id: "old", action: "forget", reason: { code: "entry-removed" }, entry: "id" },
  ];
  assert.equal(scheduleWaves(changes, facts([]), 10), []);
});

test("a referrer before what it refers to, with children before parents; a reference cycle goes last", () => {
  const live = facts([
    { id: "a-target" },
    { id: "z-referrer" },
    { id: "chain-a" },
    { id: "chain-b" },
    { id: "chain-c" },
    { id: "leaf", parentId: "w-parent" },
    { id: "w-parent" },
    { id: "cyc-a" },
    { id: "cyc-b" },
    { id: "self" },
  ]);
  const changes = ["a-target", "z-referrer", "chain-a", "chain-b", "chain-c", "leaf", "w-parent", "cyc-a", "cyc-b", "self"].map((id) =>
    del(id),
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
  assert.equal(idsOf(scheduleWaves(changes, live, 100, referrers)), [
    [["chain-c", "self", "z-referrer"]],
    [["a-target", "chain-b"]],
    [["chain-a"]],
    [["cyc-a", "cyc-b", "leaf", "w-parent"]],
  ]);
});

test.run();
