/** The fixture many e2e suites share: a fresh emulator and workspace for every test. */
import { suite, type Test } from "uvu";
import { startEmulator, type Emulator } from "../../src/emulator/server.js";
import { manifestYaml, workspace } from "./decom.js";
import { devices, world } from "./world.js";

export interface EmulatorContext {
  emulator: Emulator;
  dir: string;
  remove: () => void;
}

/** Each test gets an emulator holding dev-0001…dev-0003 and a folder whose decom.yaml deletes dev-0001. */
export function oneDeviceSuite(name: string): Test<EmulatorContext> {
  const test = suite<EmulatorContext>(name);
  test.before.each(async (ctx) => {
    ctx.emulator = await startEmulator({ seed: world(devices("dev", 3)) });
    ({ dir: ctx.dir, remove: ctx.remove } = workspace({ "decom.yaml": manifestYaml(["dev-0001"]) }));
  });
  test.after.each(async (ctx) => {
    await ctx.emulator.close();
    ctx.remove();
  });
  return test;
}
