import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createBody, restoreLevels } from "../../src/restore/order.js";

const test = suite("restore: what is sent, and in which order");

test("the body is the archived document less what the service manages; constraints become their ids", () => {
  const resource = {
    id: "r",
    name: "R",
    _links: { self: { href: "/resources/v1/resources/r" } },
    nested: { a: [1, { b: 2 }], _links: "kept: not at the top" },
    lastMessageTimestamp: 12,
  };
  assert.equal(createBody("resource", resource), {
    id: "r",
    name: "R",
    nested: { a: [1, { b: 2 }], _links: "kept: not at the top" },
    lastMessageTimestamp: 12,
  });
  const type = {
    id: "t",
    $bulkOperation: "d44b2ce9-fb7e-453e-a8bf-b7fefd933313",
    $constraints: [{ constraintId: "0f6c7e0a-0000-4000-8000-000000000001", status: "ineffect" }],
    _links: { self: { href: "/resources/v1/resourcetypes/t" } },
    metrics: [{ name: "temperature" }],
  };
  assert.equal(createBody("resourceType", type), {
    id: "t",
    $constraints: ["0f6c7e0a-0000-4000-8000-000000000001"],
    metrics: [{ name: "temperature" }],
  });
  assert.equal(createBody("resourceType", { id: "u", $constraints: [] }), { id: "u", $constraints: [] });
  assert.equal(resource._links.self.href, "/resources/v1/resources/r", "the archived document is not changed");
});

test("__proto__ as a field or id is just data", () => {
  const document = JSON.parse('{"id":"__proto__","__proto__":{"x":1},"name":"p"}');
  const body = createBody("resource", document);
  assert.equal(Object.keys(body).sort(), ["__proto__", "id", "name"]);
  assert.equal(JSON.parse(JSON.stringify(body)), document);
});

test("types first, then resources level by level: a parent in the set before its children", () => {
  const levels = restoreLevels(
    [{ id: "t2" }, { id: "t1" }],
    [
      { id: "leaf", parentId: "mid" },
      { id: "mid", parentId: "root" },
      { id: "root", parentId: "outside" },
      { id: "loose" },
      { id: "other-leaf", parentId: "root" },
    ],
  );
  assert.equal(levels.resourceTypes, ["t1", "t2"]);
  assert.equal(levels.resources, [["loose", "root"], ["mid", "other-leaf"], ["leaf"]]);
});

test("a parent cycle (an archive edited by hand) cannot hang: its members go last", () => {
  const levels = restoreLevels([], [{ id: "a", parentId: "b" }, { id: "b", parentId: "a" }, { id: "c" }, { id: "d", parentId: "c" }]);
  assert.equal(levels.resources, [["c"], ["d"], ["a", "b"]]);
});

test.run();
