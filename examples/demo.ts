/**
 * `npm run demo`: the whole decom workflow against the built-in emulator, in a
 * temporary folder: plan (saved), apply that plan, plan again (no changes).
 * It runs the same code as the `decom` command, and fails if any step does not
 * end as a user would expect.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../src/cli/run.js";
import { readSeedFile } from "../src/emulator/seed.js";
import { startEmulator } from "../src/emulator/server.js";

const here = new URL(".", import.meta.url).pathname;
const keep = process.argv.includes("--keep");

const emulator = await startEmulator({ seed: readSeedFile(join(here, "world.json")) });
const folder = mkdtempSync(join(tmpdir(), "decom-demo-"));
copyFileSync(join(here, "decom.yaml"), join(folder, "decom.yaml"));
const before = { resources: emulator.tenant.resources.size, types: emulator.tenant.resourceTypes.size };
// The demo's decom sees none of the user's Waylay settings: no WAYLAY_* variable,
// and a home of its own, so no SDK profile and no credential is read or sent.
const demoEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(WAYLAY_|HOME$|USERPROFILE$|XDG_CONFIG_HOME$|LOCALAPPDATA$)/.test(name)),
  ),
  HOME: folder,
  WAYLAY_GATEWAY_URL: emulator.url,
};

say(
  `decom demo: a Waylay Resources emulator serves ${emulator.url} with ${before.resources} resources of ${before.types} types\n` +
    `(examples/world.json). The manifest is examples/decom.yaml, copied to ${folder},\n` +
    `where each command below runs with WAYLAY_GATEWAY_URL=${emulator.url}.`,
);

let failed = false;
try {
  await step(["plan", "--out", "plan.json"], 0, { elide: true });
  await step(["apply", "plan.json"], 0);
  await step(["plan", "--detailed-exitcode"], 0);
  const after = { resources: emulator.tenant.resources.size, types: emulator.tenant.resourceTypes.size };
  say(
    `The emulator now holds ${after.resources} resources (was ${before.resources}) ` +
      `and ${after.types} resource types (was ${before.types}).`,
  );
  const lookups = emulator.count("GET", "/resources/v1/resources");
  const typeLookups = emulator.count("GET", "/resources/v1/resourcetypes");
  const batches = emulator.count("POST", "/resources/v1/batch");
  const polls = emulator.count("GET", "/resources/v1/batch/");
  say(
    `decom made ${lookups} resource lookups, ${typeLookups} resource type lookups, ` +
      `${batches} batch requests and ${polls} batch status polls in all.`,
  );
  say(
    `decom.state.json now records every outcome; in real use it is kept in git beside the manifest.\n` +
      (keep ? `Kept ${folder} for you to look at.` : `The folder is removed now; run "npm run demo -- --keep" to keep it.`),
  );
} catch (err) {
  failed = true;
  process.stderr.write(`\ndemo failed: ${(err as Error).message}\n`);
} finally {
  await emulator.close();
  if (!keep) rmSync(folder, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

/** Runs one decom command as a user would type it, printing its output. */
async function step(args: string[], expectedExit: number, options: { elide?: boolean } = {}): Promise<void> {
  say(`$ decom ${args.join(" ")}`);
  let output = "";
  const capture = { write: (text: string) => ((output += text), true), isTTY: process.stdout.isTTY };
  const code = await run(args, {
    stdout: capture,
    stderr: capture,
    stdin: process.stdin,
    env: demoEnv,
    cwd: folder,
  });
  process.stdout.write(options.elide ? elideMiddle(output, 24, 16) : output);
  if (code !== expectedExit) throw new Error(`"decom ${args.join(" ")}" exited ${code}, expected ${expectedExit}`);
}

/** A 170-line plan is what the user sees, but the demo shows its shape. */
function elideMiddle(text: string, head: number, tail: number): string {
  const lines = text.split("\n");
  if (lines.length <= head + tail + 1) return text;
  const omitted = lines.length - head - tail;
  return [
    ...lines.slice(0, head),
    `  [… ${omitted} more lines of the same kind; the full plan is in plan.json …]`,
    ...lines.slice(-tail),
  ].join("\n");
}

function say(text: string): void {
  process.stdout.write(`\n${text}\n`);
}
