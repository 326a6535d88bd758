/**
 * Bad input gets a one-line error naming file, line, column and field, exits 1,
 * and changes nothing: no request reaches the tenant, no state is written.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { decom, workspace } from "../helpers/decom.js";
import { devices, world } from "../helpers/world.js";

const test = suite<{ emulator: Emulator; dir: string; remove: () => void }>("e2e: bad manifests");

test.before.each(async (ctx) => {
  ctx.emulator = await startEmulator({ seed: world(devices("dev", 3)) });
  ({ dir: ctx.dir, remove: ctx.remove } = workspace());
});
test.after.each(async (ctx) => {
  await ctx.emulator.close();
  ctx.remove();
});

const cases: [name: string, manifest: string, expected: string][] = [
  [
    "invalid YAML",
    "version: 1\nresources:\n  - id: dev-0001\n   - id: dev-0002\n",
    "decom.yaml:4:4: invalid YAML: All sequence items must start at the same column",
  ],
  [
    "an unclosed bracket",
    "version: 1\nresources:\n  - id: [dev-0001\n",
    "decom.yaml:4:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ],
  [
    "an unknown key",
    "version: 1\nresources:\n  - id: dev-0001\n    cascde: [tasks]\n",
    'decom.yaml:4:5: resources[0]: unknown key "cascde" (did you mean "cascade"?)',
  ],
  [
    "a duplicate id",
    "version: 1\nresources:\n  - id: dev-0001\n  - id: dev-0002\n  - id: dev-0001\n",
    'decom.yaml:5:9: resources[2].id: duplicate id "dev-0001" (first listed at line 3)',
  ],
  [
    "a wrong type",
    "version: 1\nresources:\n  - id: 0042\n",
    'decom.yaml:3:9: resources[0].id: must be a string; write it in quotes ("0042")',
  ],
  [
    "a wrong cascade value",
    "version: 1\ndefaults:\n  cascade: [alarm]\nresources:\n  - id: dev-0001\n",
    'decom.yaml:3:13: defaults.cascade[0]: "alarm" is not one of alarms, measurements, tasks',
  ],
  ["a missing version", "resources:\n  - id: dev-0001\n", 'decom.yaml:1:1: missing required key "version"'],
  ["an unsupported version", "version: 2\n", "decom.yaml:1:10: version: unsupported manifest version 2; this decom reads version 1"],
  [
    "a fuzzy filter",
    "version: 1\nresources:\n  - select:\n      filter: thermo\n",
    'decom.yaml:4:7: resources[0].select: fuzzy "filter" is refused: a deletion tool must not delete by fuzzy search; ' +
      "select with exact fields (resourceTypeId, tags, customer, provider, query)",
  ],
  [
    "an empty selector",
    "version: 1\nresources:\n  - select: {}\n",
    "decom.yaml:3:13: resources[0].select: an empty selector would match every resource; " +
      "give at least one of resourceTypeId, tags, customer, provider, query",
  ],
  [
    "a blank query",
    'version: 1\nresources:\n  - select:\n      query: " "\n',
    "decom.yaml:4:14: resources[0].select.query: must not be blank (an empty query would match every resource)",
  ],
  [
    "a tab for a query",
    'version: 1\nresources:\n  - select:\n      query: "\\t"\n',
    "decom.yaml:4:14: resources[0].select.query: must not be blank (an empty query would match every resource)",
  ],
  [
    "a blank query beside a real customer",
    'version: 1\nresources:\n  - select:\n      customer: acme\n      query: "  "\n',
    "decom.yaml:5:14: resources[0].select.query: must not be blank",
  ],
  [
    "a blank customer beside a real query",
    'version: 1\nresources:\n  - select:\n      query: "firmware:lt(2.0)"\n      customer: " "\n',
    "decom.yaml:5:17: resources[0].select.customer: must not be blank",
  ],
  [
    "a query of a zero-width space",
    'version: 1\nresources:\n  - select:\n      query: "\\u200b"\n',
    "decom.yaml:4:14: resources[0].select.query: must not be blank (an empty query would match every resource)",
  ],
  [
    "a query of a word joiner and a space",
    'version: 1\nresources:\n  - select:\n      query: "\\u2060 "\n',
    "decom.yaml:4:14: resources[0].select.query: must not be blank",
  ],
  [
    "a tag of a Hangul filler",
    'version: 1\nresources:\n  - select:\n      tags: ["\\u3164"]\n',
    "decom.yaml:4:14: resources[0].select.tags[0]: must not be blank",
  ],
  [
    "a blank tag",
    'version: 1\nresources:\n  - select:\n      tags: [retired, " "]\n',
    "decom.yaml:4:23: resources[0].select.tags[1]: must not be blank",
  ],
  [
    "an empty resourceTypeId",
    'version: 1\nresources:\n  - select:\n      resourceTypeId: ""\n      provider: lora\n',
    "decom.yaml:4:23: resources[0].select.resourceTypeId: must not be blank",
  ],
  [
    "both id and select",
    "version: 1\nresources:\n  - id: a\n    select:\n      customer: acme\n",
    'decom.yaml:3:5: resources[0]: use either "id" or "select" in one entry, not both',
  ],
  [
    "an id both deleted and protected",
    "version: 1\nresources:\n  - id: hq-gateway\nprotect:\n  resources: [hq-gateway]\n",
    'decom.yaml:3:9: resources[0].id: "hq-gateway" is protected (protect.resources, line 5); remove it from one of the two lists',
  ],
  [
    "a type both deleted and protected",
    "version: 1\nresourceTypes:\n  - id: gateway\nprotect:\n  resourceTypes: [site, gateway]\n",
    'decom.yaml:3:9: resourceTypes[0].id: "gateway" is protected (protect.resourceTypes, line 5); remove it from one of the two lists',
  ],
  [
    "the same selector twice",
    "version: 1\nresources:\n  - select:\n      tags: [a, b]\n  - select:\n      tags: [b, a]\n",
    "decom.yaml:6:7: resources[1].select: the same selector as resources[0] (line 4)",
  ],
  ["a negative guard", "version: 1\nguard:\n  maxDeletes: -1\n", "decom.yaml:3:15: guard.maxDeletes: must be at least 0"],
  ["a missing id", "version: 1\nresources:\n  - cascade: [tasks]\n", 'decom.yaml:3:5: resources[0]: needs "id" or "select"'],
];

for (const [name, manifest, expected] of cases) {
  for (const command of [["plan"], ["apply", "--auto-approve"], ["validate"]]) {
    test(`${command[0]} with ${name}: exit 1, "${expected}", no request, no state`, async ({ emulator, dir }) => {
      writeFileSync(join(dir, "decom.yaml"), manifest);
      const result = await decom(command, { cwd: dir, endpoint: emulator.url });
      assert.is(result.code, 1);
      assert.ok(result.stderr.startsWith(expected), `stderr was: ${result.stderr}`);
      assert.is(result.stderr.trimEnd().split("\n").length, 1, `one line, was: ${result.stderr}`);
      assert.is(result.stdout, "");
      assert.is(emulator.requests.length, 0, "no HTTP request");
      assert.not.ok(existsSync(join(dir, "decom.state.json")), "no state written");
    });
  }
}

test("every problem in one manifest is reported, one line each", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), "version: 1\nresources:\n  - id: a\n    cascad: []\n  - idd: b\n");
  const result = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines, [
    'decom.yaml:4:5: resources[0]: unknown key "cascad" (did you mean "cascade"?)',
    'decom.yaml:5:5: resources[1]: needs "id" or "select"',
    'decom.yaml:5:5: resources[1]: unknown key "idd" (did you mean "id"?)',
  ]);
});

test("a missing manifest names the file and the flag", async ({ emulator, dir }) => {
  const result = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
  assert.is(result.code, 1);
  assert.match(result.stderr, "decom.yaml: no such file (pass another with -f/--manifest)");
  assert.is(emulator.requests.length, 0);
});

test("an unknown flag names the closest one and sends nothing", async ({ emulator, dir }) => {
  writeFileSync(join(dir, "decom.yaml"), "version: 1\n");
  const result = await decom(["plan", "--detailed-exit-code"], { cwd: dir, endpoint: emulator.url });
  assert.is(result.code, 1);
  assert.match(result.stderr, "unknown flag --detailed-exit-code (did you mean --detailed-exitcode?)");
  assert.is(emulator.requests.length, 0);
});

test("plain http to a non-loopback host is refused before any request", async ({ dir }) => {
  writeFileSync(join(dir, "decom.yaml"), "version: 1\nresources:\n  - id: a\n");
  const result = await decom(["plan"], { cwd: dir, endpoint: "http://api.example.com" });
  assert.is(result.code, 1);
  assert.match(result.stderr, "plain http:// is refused for api.example.com");
});

test("a real endpoint without credentials is refused before any request", async ({ dir }) => {
  writeFileSync(join(dir, "decom.yaml"), "version: 1\nresources:\n  - id: a\n");
  const result = await decom(["plan"], { cwd: dir, endpoint: "https://api.example.com" });
  assert.is(result.code, 1);
  assert.match(
    result.stderr,
    "no Waylay credentials for https://api.example.com: set WAYLAY_API_KEY and WAYLAY_API_SECRET, or WAYLAY_TOKEN",
  );
});

test.run();
