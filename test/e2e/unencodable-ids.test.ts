/**
 * An id that is not well-formed Unicode (a lone surrogate, which YAML and JSON
 * escapes can spell) has no URL form: URLSearchParams would quietly make it
 * another id, encodeURIComponent throws. From the manifest it is an error at
 * its position; from the tenant, one line naming it, before any batch is sent
 * (issue 9, item 10).
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { assertOneLine, decom, manifestYaml, workspace } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: ids that cannot be sent in a URL");

test.before.each(async (ctx) => {
  const unencodable = [
    { id: "a\uD800b", resourceTypeId: "legacy" },
    { id: "c\uDC00", resourceTypeId: "device", parentId: "dev-0002" },
  ];
  ctx.emulator = await startEmulator({ seed: world([...devices("dev", 3), ...unencodable]) });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace());
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

const unencodable: [field: string, manifest: string, expected: string][] = [
  [
    "resources[].id",
    'version: 1\nresources:\n  - id: dev-0001\n  - id: "a\\uD800b"\n',
    'decom.yaml:4:9: resources[1].id: "a\\ud800b" is not valid Unicode (a lone surrogate), so it cannot be sent in a URL',
  ],
  [
    "resourceTypes[].id",
    'version: 1\nresourceTypes:\n  - id: "t\\uDFFF"\n',
    'decom.yaml:3:9: resourceTypes[0].id: "t\\udfff" is not valid Unicode (a lone surrogate), so it cannot be sent in a URL',
  ],
  [
    "protect.resources",
    'version: 1\nresources:\n  - id: dev-0001\nprotect:\n  resources: [hq, "\\uD83D"]\n',
    'decom.yaml:5:19: protect.resources[1]: "\\ud83d" is not valid Unicode (a lone surrogate), so it cannot be sent in a URL',
  ],
  [
    "protect.resourceTypes",
    'version: 1\nprotect:\n  resourceTypes:\n    - "x\\uDC00y"\n',
    'decom.yaml:4:7: protect.resourceTypes[0]: "x\\udc00y" is not valid Unicode (a lone surrogate), so it cannot be sent in a URL',
  ],
  // Selector values go in URLs too; URLSearchParams would have selected by another value.
  [
    "resources[].select",
    'version: 1\nresources:\n  - select:\n      customer: "\\uD800"\n',
    'decom.yaml:4:17: resources[0].select.customer: "\\ud800" is not valid Unicode (a lone surrogate), so it cannot be sent in a URL',
  ],
];

for (const [field, manifest, expected] of unencodable) {
  test(`an id in ${field} that cannot be encoded in a URL is a manifest error at its position`, async ({ emulator, dir }) => {
    writeFileSync(join(dir, "decom.yaml"), manifest);
    for (const command of [["plan"], ["apply", "--auto-approve"], ["validate"]]) {
      assertOneLine(await decom(command, { cwd: dir, endpoint: emulator.url }), expected);
    }
    assert.is(emulator.requests.length, 0);
    assert.not.ok(existsSync(join(dir, "decom.state.json")));
  });
}

test("a tenant id a selector matches that cannot be encoded in a URL: one line naming it, before any batch", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), "version: 1\nresources:\n  - select:\n      resourceTypeId: legacy\n");
  for (const command of [["plan"], ["apply", "--auto-approve"]]) {
    const result = await decom(command, { cwd: dir, endpoint: emulator.url });
    assertOneLine(
      result,
      'error: the id "a\\ud800b" is not valid Unicode (a lone surrogate), so it cannot be sent in a URL; ' +
        "decom cannot check or delete it safely",
    );
  }
  assert.is(emulator.count("POST"), 0);
  assert.ok(emulator.tenant.resources.has("a\uD800b"));
  assert.not.ok(existsSync(join(dir, "decom.state.json")));
});

test("a child with such an id blocks the plan like any other child: no crash, nothing sent", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), manifestYaml(["dev-0002"]));
  const result = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
  assert.is(result.code, 1);
  assert.match(result.stderr, "still has 1 child the plan does not delete");
  assert.not.match(result.stderr, "this is a bug");
  assert.is(emulator.count("POST"), 0);
});

test.run();
