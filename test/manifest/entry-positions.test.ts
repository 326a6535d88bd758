/** Where an entry is written, found after loading, for blockers: whole and sliced manifests alike. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseManifest } from "../../src/manifest/load.js";

const test = suite("manifest: entry positions");

function manifestText(ids: number): string {
  const lines = ["version: 1", "resources:", "  - select:", "      tags: [retired]"];
  for (let i = 0; i < ids; i++) lines.push(`  - id: device-${String(i).padStart(6, "0")}`);
  lines.push(
    "  - select:",
    "      customer: acme",
    "resourceTypes:",
    "  - id: legacy",
    "protect:",
    "  resources: [hq, gw-0]",
    "  resourceTypes: [keep]",
    "guard:",
    "  maxDeletes: 10",
  );
  return lines.join("\n") + "\n";
}

for (const [name, ids] of [
  ["whole", 10],
  ["sliced (over 1,000,000 characters)", 60_000],
] as const) {
  test(`${name}: explicit ids, selectors in manifest order, types, protect and guard`, () => {
    const text = manifestText(ids);
    const positions = parseManifest(text, "decom.yaml", "0".repeat(64)).positions!;
    const last = `device-${String(ids - 1).padStart(6, "0")}`;
    // Asked in any order; answered for the ids the manifest names.
    assert.equal(
      positions.explicitResources([last, "not-there", "device-000000"]),
      new Map([
        ["device-000000", { line: 5, column: 9 }],
        [last, { line: 4 + ids, column: 9 }],
      ]),
    );
    assert.equal(positions.selector(0), { line: 3, column: 5 });
    assert.equal(positions.selector(1), { line: 5 + ids, column: 5 });
    assert.is(positions.selector(2), undefined);
    assert.equal(positions.resourceType("legacy"), { line: 8 + ids, column: 9 });
    assert.equal(positions.protectedId("resource", "gw-0"), { line: 10 + ids, column: 19 });
    assert.equal(positions.protectedId("resourceType", "keep"), { line: 11 + ids, column: 19 });
    assert.equal(positions.maxDeletes(), { line: 13 + ids, column: 15 });
    assert.is(text.split("\n")[13 + ids - 1], "  maxDeletes: 10");
  });
}

test("an aliased id is an explicit entry: the selectors after it keep their own lines", () => {
  const text = [
    "version: 1",
    "resourceTypes:",
    "  - id: &gw gw-antwerp-01",
    "resources:",
    "  - id: *gw",
    "  - select:",
    "      tags: [retired]",
  ].join("\n");
  const positions = parseManifest(text, "decom.yaml", "0".repeat(64)).positions!;
  assert.equal(positions.explicitResources(["gw-antwerp-01"]), new Map([["gw-antwerp-01", { line: 5, column: 9 }]]));
  assert.equal(positions.selector(0), { line: 6, column: 5 });
  assert.is(positions.selector(1), undefined);
});

test("a loaded manifest serialises as its data: the positions are not a field", () => {
  const manifest = parseManifest("version: 1\nresources:\n  - id: a\n", "decom.yaml", "0".repeat(64));
  assert.ok(manifest.positions, "it has them");
  assert.not.ok(Object.keys(manifest).includes("positions"));
});

test.run();
