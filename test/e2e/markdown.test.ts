/** `decom show PLAN --format markdown`: a pull request comment that always fits and never hides a blocker. */
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { describeBlocker } from "../../src/views/blocker-text.js";
import type { EmulatedEntity } from "../../src/emulator/tenant.js";
import type { Plan } from "../../src/plan/model.js";
import { decom, manifestYaml, workspace } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";
import { readJsonFile } from "../helpers/json-file.js";

const test = suite("e2e: markdown plan view");

test("a 10,000-id plan renders under 65,536 characters, with every blocker and the totals", async () => {
  // 10,000 devices with long ids under 40 gateways; 12 gateways keep one child outside the plan.
  const gateways = devices("gateway-with-a-rather-long-identifier", 40, "gw");
  const fleet: EmulatedEntity[] = devices("device-with-a-long-identifier-for-realism", 10_000, "dev").map((d, i) => ({
    ...d,
    parentId: gateways[i % 40]!.id,
  }));
  const strays = gateways.slice(0, 12).map((g, i) => ({ id: `stray-${i}`, resourceTypeId: "dev", parentId: g.id }));
  return withEmulator(
    { seed: world([...gateways, ...fleet, ...strays]) },
    { "decom.yaml": manifestYaml([...fleet, ...gateways].map((r) => r.id)) },
    async ({ emulator, dir }) => {
      const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
      assert.is(plan.code, 1, "blocked");
      const md = await decom(["show", "plan.json", "--format", "markdown"], { cwd: dir });
      assert.is(md.code, 0, md.stderr);
      const comment = md.stdout;
      assert.ok(comment.length < 65_536, `comment is ${comment.length} characters`);
      assert.ok(comment.startsWith("### decom plan: 10,040 to delete, 0 already absent, 0 to forget (blocked)\n"));
      const saved = readJsonFile(join(dir, "plan.json")) as Plan;
      assert.is(saved.blockers.length, 12);
      for (const b of saved.blockers)
        assert.match(
          comment,
          describeBlocker(b, (id) => `\`"${id}"\``),
        );
      const blocked = comment.indexOf("Blocked: apply will refuse this plan");
      assert.ok(blocked >= 0 && blocked < comment.indexOf("<details>"), "blockers before the lists");
      assert.match(comment, "| resources | 10,040 | 0 | 0 |");
      assert.match(comment, '\nDeletions by resource type: 10,000 × `"dev"`, 40 × `"gw"`\n');
      assert.ok(comment.indexOf("Deletions by resource type") < comment.indexOf("<details>"), "the counts before the lists");
      assert.match(
        comment,
        /\n"device-with-a-long-identifier-for-realism-0001" {2}type "dev", parent "gateway-with-a-rather-long-identifier-0001"; /,
      );
      assert.match(comment, /\n([\d,]+) ids left out of this comment to stay under GitHub's limit; every id is in `plan\.json`\./);
      const leftOut = Number(/\n([\d,]+) ids left out/.exec(comment)![1]!.replace(/,/g, ""));
      const listed = comment
        .split("\n")
        .filter((line) => line.startsWith('"device-with-a-long') || line.startsWith('"gateway-with')).length;
      assert.is(listed + leftOut, 10040, "what is shown plus what is left out is everything");
    },
  );
});

test("a small plan is shown whole, folded per action", async () => {
  return withEmulator(
    { seed: world(devices("dev", 3)) },
    { "decom.yaml": manifestYaml(["dev-0001", "dev-0002", "ghost"]) },
    async ({ emulator, dir }) => {
      await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
      const md = (await decom(["show", "plan.json", "--format", "markdown"], { cwd: dir })).stdout;
      assert.match(md, "<details><summary>Delete: 2 resources</summary>");
      assert.match(md, "<details><summary>Already absent: 1 resource</summary>");
      assert.match(md, '"dev-0001"  type "device"; cascade: none');
      assert.match(md, '"ghost"  not found on the tenant');
      assert.not.match(md, "left out");
      assert.match(md, "Apply exactly this plan with `decom apply plan.json`.");
    },
  );
});

test("markdown is for plans; a state file gets a clear refusal", async () => {
  // A state's marks (not "{}", which is neither a plan nor a state, and is refused as such).
  const { dir, remove } = workspace({ "s.json": JSON.stringify({ version: 1, lineage: "l" }) });
  try {
    const result = await decom(["show", "s.json", "--format", "markdown"], { cwd: dir });
    assert.is(result.code, 1);
    assert.match(result.stderr, "--format markdown shows plans");
  } finally {
    remove();
  }
});

test.run();
