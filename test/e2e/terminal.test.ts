/** At a real terminal (a pseudo-terminal): the progress bar, colour, and the question that waits for 'yes'. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { waitFor } from "../helpers/child.js";
import { decom, manifestYaml } from "../helpers/decom.js";
import { inTerminal } from "../helpers/terminal.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: at a terminal");
const CLEAR = "\r\u001b[2K";

test("apply shows a live bar per wave, then clears it into a final line", async () => {
  const fleet = devices("dev", 400, "legacy");
  return withEmulator(
    { seed: world(fleet), timing: { startDelayMs: 5, perIdMs: 4 } },
    { "decom.yaml": manifestYaml(fleet.map((d) => d.id)) },
    async ({ emulator, dir }) => {
      await decom(["plan", "--out", "plan.json", "--batch-size", "100"], { cwd: dir, endpoint: emulator.url });
      const run = inTerminal(["apply", "plan.json", "--parallelism", "1"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
      assert.is(await run.done, 0, run.screen());
      const screen = run.screen();
      const bars = screen.split(CLEAR).filter((frame) => frame.startsWith("Wave 1/1 ["));
      assert.ok(bars.length >= 3, `the bar was redrawn as batches finished (${bars.length} frames)`);
      assert.match(bars[0]!, /^Wave 1\/1 \[.*\] \d+\/400 ids \(\d+%\), \d+ ids\/s, ETA/);
      assert.match(screen, "\u001b[32m█", "the bar is coloured on a terminal");
      const last = screen.lastIndexOf("Wave 1/1 [");
      const final = screen.indexOf("Wave 1/1: 400 resources: 400 deleted, 0 absent, 0 failed in ");
      assert.ok(final > last, "the final line comes after the last frame");
      assert.match(screen.slice(last, final), CLEAR, "the bar is cleared before the final line");
      assert.match(screen, "Apply complete: 400 deleted, 0 absent, 0 failed.");
    },
  );
});

test("colour on a terminal, none under NO_COLOR", async () => {
  return withEmulator({ seed: world(devices("dev", 2)) }, { "decom.yaml": manifestYaml(["dev-0001"]) }, async ({ emulator, dir }) => {
    const coloured = inTerminal(["plan"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
    await coloured.done;
    assert.match(coloured.screen(), '\u001b[31m- resource "dev-0001"\u001b[39m');
    const plain = inTerminal(["plan"], dir, { WAYLAY_GATEWAY_URL: emulator.url, NO_COLOR: "1" });
    await plain.done;
    assert.match(plain.screen(), '- resource "dev-0001"');
    assert.not.match(plain.screen(), "\u001b[");
  });
});

test("the question waits: nothing is sent until 'yes' is typed", async () => {
  return withEmulator({ seed: world(devices("dev", 2)) }, { "decom.yaml": manifestYaml(["dev-0001"]) }, async ({ emulator, dir }) => {
    const run = inTerminal(["apply"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
    // Watched from the start, so an exit at any point before 'yes' is seen below.
    let exited = false;
    void run.done.then(() => (exited = true));
    await waitFor(() => run.screen().includes("Enter a value:"), 15_000, "the question");
    assert.match(run.screen(), "Only 'yes' will be accepted to approve.");
    await new Promise((r) => setTimeout(r, 700));
    assert.is(emulator.count("POST"), 0, "nothing sent while the question waits");
    assert.not.ok(exited, `still waiting for an answer, but decom exited:\n${run.screen()}`);
    run.type("yes\r");
    assert.is(await run.done, 0, run.screen());
    assert.is(emulator.count("POST"), 1);
    assert.match(run.screen(), "Apply complete: 1 deleted, 0 absent, 0 failed.");
  });
});

test.run();
