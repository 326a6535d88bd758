/**
 * Ids are tenant data: "__proto__", "constructor" and "hasOwnProperty" go
 * through plan, apply, the journal, the state and show like any other id, and
 * none of their outcomes is lost to an object's prototype.
 */
// biome-ignore-all lint/suspicious/noProto: "__proto__" here is an id in a parsed record, the subject of the test
// biome-ignore-all lint/complexity/useLiteralKeys: the ids are spelt as ids, record["constructor"], like "__proto__"
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { StateSession } from "../../src/state/session.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite("e2e: ids named like object properties");

const IDS = ["__proto__", "constructor", "hasOwnProperty"];

test("plan, apply (deleted, absent and failed), state and show keep every one of them", async () => {
  return withEmulator(
    { seed: world([...IDS.map((id) => ({ id, resourceTypeId: "legacy" })), ...devices("keep", 1, "other")]) },
    { "decom.yaml": manifestYaml(IDS.map((id) => JSON.stringify(id))) },
    async ({ emulator, dir }) => {
      const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
      assert.is(plan.code, 0, plan.stdout + plan.stderr);
      assert.match(plan.stdout, "Plan: 3 to delete, 0 already absent, 0 to forget.");
      const shownPlan = await decom(["show", "plan.json"], { cwd: dir });
      for (const id of IDS) assert.match(shownPlan.stdout, `resource "${id}"`);

      // Between plan and apply: "__proto__" gains a child (its deletion fails), "hasOwnProperty" goes (absent).
      emulator.tenant.addResource({ id: "late-child", resourceTypeId: "other", parentId: "__proto__" });
      emulator.tenant.deleteResource("hasOwnProperty");
      const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
      assert.is(apply.code, 1, apply.stdout + apply.stderr);
      assert.match(apply.stdout, "Apply finished with failures: 1 deleted, 1 absent, 1 failed.");
      assert.match(apply.stderr, 'resource "__proto__": Resource is still parent of or referenced by 1 resource(s)');

      const text = readFileSync(join(dir, "decom.state.json"), "utf8");
      const records = JSON.parse(text).resources as Record<string, { status: string; error?: string }>;
      assert.equal(Object.keys(records).sort(), [...IDS].sort());
      assert.is(records["__proto__"]!.status, "failed");
      assert.match(records["__proto__"]!.error ?? "", "still parent of");
      assert.is(records["constructor"]!.status, "deleted");
      assert.is(records["hasOwnProperty"]!.status, "absent");

      const shownState = await decom(["show", "decom.state.json"], { cwd: dir });
      assert.match(shownState.stdout, /__proto__.*failed/);
      assert.match(shownState.stdout, "1 deleted, 1 absent, 1 failed.");

      const again = await decom(["plan"], { cwd: dir, endpoint: emulator.url });
      assert.match(again.stdout, 'resource "__proto__"');
      assert.match(again.stdout, "retrying: last attempt failed (400: Resource is still parent of");
    },
  );
});

test('the journal replays them: a failure recorded for "__proto__" survives a crash before compaction', () => {
  const { dir, remove } = workspace();
  try {
    const open = () =>
      StateSession.open({
        statePath: join(dir, "decom.state.json"),
        shownAs: "decom.state.json",
        endpoint: "http://x",
        newLineage: randomUUID,
      });
    const before = open();
    const seq = before.nextBatchSeq();
    const ids = Object.fromEntries(IDS.map((id) => [id, "id"]));
    before.append({ submit: { seq, kind: "resource", ids, time: "2026-01-01T00:00:00.000Z" } });
    const failed = JSON.parse('{"__proto__": {"statusCode": 400, "error": "still a parent"}}') as Record<
      string,
      { statusCode: number; error: string }
    >;
    before.append({ finished: { seq, time: "2026-01-01T00:00:01.000Z", deleted: ["constructor"], absent: ["hasOwnProperty"], failed } });
    // Killed here: the journal holds it all, the state file does not exist yet.
    const after = open();
    const record = after.state.resource.get("__proto__");
    assert.equal(record, { entry: "id", error: "still a parent", status: "failed", statusCode: 400, time: "2026-01-01T00:00:01.000Z" });
    assert.is(after.state.resource.get("constructor")?.status, "deleted");
    assert.is(after.state.resource.get("hasOwnProperty")?.status, "absent");
    after.compact();
    const file = readJsonFile(join(dir, "decom.state.json"));
    assert.equal(Object.keys(file.resources).sort(), [...IDS].sort());
  } finally {
    remove();
  }
});

test.run();
