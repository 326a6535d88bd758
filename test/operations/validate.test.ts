/** `validate` as a library function: what it read, or why not, returned rather than thrown. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { apply, validate } from "../../src/index.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";

const test = suite("operations: validate");

test("valid files: the manifest and the state as read, with their paths as shown, and the journal an interrupted apply left", async () => {
  return withEmulator(
    { seed: world(devices("dev", 2)) },
    { "decom.yaml": manifestYaml(["dev-0001", "ghost"], ["legacy"]) },
    async ({ emulator, dir }) => {
      const before = validate({ cwd: dir });
      assert.ok(before.valid);
      if (!before.valid) return;
      assert.is(before.manifest.path, "decom.yaml");
      assert.equal([before.manifest.manifest.resources.length, before.manifest.manifest.resourceTypes.length], [2, 1]);
      assert.is(before.state, undefined, "no state file yet");
      assert.is(before.journal, undefined);

      await apply({ cwd: dir, env: { WAYLAY_GATEWAY_URL: emulator.url }, approve: () => true });
      writeFileSync(join(dir, "decom.state.json.journal"), "");
      const after = validate({ cwd: dir });
      assert.ok(after.valid);
      if (!after.valid) return;
      assert.is(after.state?.path, "decom.state.json");
      assert.is(after.state?.state.serial, 1);
      assert.equal([...(after.state?.state.resource.keys() ?? [])].sort(), ["dev-0001", "ghost"]);
      assert.is(after.journal, "decom.state.json.journal");
    },
  );
});

test("an invalid manifest: every problem a diagnostic with its position, nothing thrown; validate prints the same lines", async () => {
  const { dir, remove } = workspace({ "decom.yaml": "version: 1\nresources:\n  - idd: x\n" });
  try {
    const result = validate({ cwd: dir });
    assert.is(result.valid, false);
    if (result.valid) return;
    assert.equal(
      result.diagnostics.map((d) => `${d.source?.file}:${d.source?.line}:${d.source?.column} ${d.code}`),
      ["decom.yaml:3:5 manifest.oneOf", "decom.yaml:3:5 manifest.additionalProperties"],
    );
    const cli = await decom(["validate"], { cwd: dir });
    assert.is(cli.code, 1);
    assert.is(cli.stdout, "");
    assert.is(
      cli.stderr,
      'decom.yaml:3:5: resources[0]: needs "id" or "select"\ndecom.yaml:3:5: resources[0]: unknown key "idd" (did you mean "id"?)\n',
    );
  } finally {
    remove();
  }
});

test.run();
