/** The fixtures e2e tests share: a fresh emulator and workspace, per suite or per test. */
import { suite, type Test } from "uvu";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/server.js";
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

/**
 * Runs `work` with an emulator started from `options` and a folder holding
 * `files`; both are gone afterwards, whatever `work` did.
 */
export async function withEmulator<T>(
  options: EmulatorOptions,
  files: Record<string, string>,
  work: (context: { emulator: Emulator; dir: string }) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator(options);
  const { dir, remove } = workspace(files);
  try {
    return await work({ emulator, dir });
  } finally {
    remove();
    await emulator.close();
  }
}
