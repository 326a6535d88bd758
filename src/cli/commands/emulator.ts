/** `decom emulator`: serve the local fake of the Waylay Resources API until interrupted. */
import { resolve } from "node:path";
import { realisticSeed } from "../../emulator/realistic.js";
import { readSeedFile, syntheticSeed, type Seed } from "../../emulator/seed.js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator/server.js";
import { fail } from "../../diagnostics.js";
import { HELP_OPTION, parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { count } from "../../text/plural.js";

export const help = `Usage: decom emulator [--port N] [--seed FILE] [options]

Serves a local fake of the Waylay Resources API (listing, get, children,
referrers, resource types, creating resources and resource types, batch start
and status) on 127.0.0.1, for demos and tests.
Point decom at it with --endpoint http://127.0.0.1:PORT. Stop it with Ctrl-C.

Options:
      --port N            port to listen on (default: 0, any free port)
      --seed FILE         JSON or YAML world: { resourceTypes: [...], resources: [...] }
      --generate N        a synthetic world instead: N resources device-0000001…
                          of type device, tagged retired, customer acme
      --generate-realistic N
                          a synthetic tenant-like world instead: N resources,
                          gateway → 20 devices → 5 sensors each, two types per
                          level (one legacy), 2 % referred to by a resource
                          below them, about 1 KB of metadata each (seeded)
      --per-id-ms MS      batch processing time per id (default: 0.2)
      --start-delay-ms MS delay before a queued batch starts (default: 10)

Fault injection (shares are between 0 and 1):
      --latency MS        added to every request
      --fail-rate R       share of requests answered 500/502/503/504
      --rate-limit R      share of requests answered 429 with Retry-After
      --retry-after S     the Retry-After of those 429s, in seconds (default: 1)
      --reset-rate R      share of connections reset (for a batch POST, half of
                          them after the batch was accepted: the 202 is lost)
      --batch-404-ms MS   a new batch's status answers 404 for this long
      --unknown-batch N   the Nth accepted batch's status answers 404, as if the
                          service lost track of it (it still runs)
      --unknown-batch-ms MS
                          ... for this long after it was accepted (default: forever)
      --drop-unknown-batch
                          ... and it never runs: its ids are not deleted
      --quirky-status-codes
                          failures report statusCode as "404," (the contract's example)
      --fault-seed N      seed of the fault generator, to repeat a run

GET /__emulator/stats (outside the Waylay API; never counted or faulted)
answers requests by kind, deletion work done and ids accepted twice.

Examples:
  decom emulator --port 8080 --seed examples/world.json
  decom emulator --seed examples/world.json --fail-rate 0.2 --rate-limit 0.1 --reset-rate 0.05
`;

export const options = {
  port: { type: "string" },
  seed: { type: "string" },
  generate: { type: "string" },
  "generate-realistic": { type: "string" },
  "per-id-ms": { type: "string" },
  "start-delay-ms": { type: "string" },
  latency: { type: "string" },
  "fail-rate": { type: "string" },
  "rate-limit": { type: "string" },
  "retry-after": { type: "string" },
  "reset-rate": { type: "string" },
  "batch-404-ms": { type: "string" },
  "unknown-batch": { type: "string" },
  "unknown-batch-ms": { type: "string" },
  "drop-unknown-batch": { type: "boolean" },
  "quirky-status-codes": { type: "boolean" },
  "fault-seed": { type: "string" },
  ...HELP_OPTION,
} as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("emulator", args, options, 0);
  const port = portNumber(values.port);
  const seed = world(values, io.cwd);
  const emulator = await listening(port, {
    ...(seed ? { seed } : {}),
    timing: {
      perIdMs: number("--per-id-ms", values["per-id-ms"], 0.2),
      startDelayMs: number("--start-delay-ms", values["start-delay-ms"], 10),
    },
    batchVisibleAfterMs: number("--batch-404-ms", values["batch-404-ms"], 0),
    ...(values["unknown-batch"] !== undefined
      ? {
          unknownBatch: {
            nth: number("--unknown-batch", values["unknown-batch"], 0),
            ...(values["unknown-batch-ms"] !== undefined ? { forMs: number("--unknown-batch-ms", values["unknown-batch-ms"], 0) } : {}),
            dropped: values["drop-unknown-batch"] === true,
          },
        }
      : {}),
    quirkyStatusCodes: values["quirky-status-codes"] === true,
    faults: {
      latencyMs: number("--latency", values.latency, 0),
      failRate: share("--fail-rate", values["fail-rate"]),
      rateLimitRate: share("--rate-limit", values["rate-limit"]),
      retryAfterSeconds: number("--retry-after", values["retry-after"], 1),
      resetRate: share("--reset-rate", values["reset-rate"]),
      ...(values["fault-seed"] !== undefined ? { seed: number("--fault-seed", values["fault-seed"], 0) } : {}),
    },
  });
  const { resources, resourceTypes } = emulator.tenant;
  io.stdout.write(
    `Waylay Resources emulator listening on ${emulator.url} ` +
      `(${count(resources.size, "resource")}, ${count(resourceTypes.size, "resource type")})\n`,
  );
  const stop = io.interrupts?.().stop;
  await new Promise<void>((done) => {
    if (!stop || stop.aborted) return done();
    stop.addEventListener("abort", () => done(), { once: true });
  });
  await emulator.close();
  io.stdout.write("Emulator stopped.\n");
  return 0;
}

/** The world asked for: at most one of --seed, --generate, --generate-realistic. */
function world(values: { seed?: string; generate?: string; "generate-realistic"?: string }, cwd: string): Seed | undefined {
  const given = (["seed", "generate", "generate-realistic"] as const).filter((flag) => values[flag] !== undefined);
  if (given.length > 1) {
    const flags = given.map((flag) => `--${flag}`).join(" and ");
    fail("usage.invalid", `decom emulator: ${flags} ${given.length === 2 ? "both" : "all"} give the emulator its world; use one`);
  }
  if (values.seed !== undefined) return readSeedFile(resolve(cwd, values.seed), values.seed);
  if (values.generate !== undefined) return syntheticSeed(wholeNumber("--generate", values.generate));
  if (values["generate-realistic"] !== undefined) return realisticSeed(wholeNumber("--generate-realistic", values["generate-realistic"]));
  return undefined;
}

/** Starts the emulator; a port that cannot be had is the user's to change, said in one line. */
async function listening(port: number, options: Omit<EmulatorOptions, "port">): Promise<Emulator> {
  try {
    return await startEmulator({ ...options, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      fail("emulator.port-in-use", `port ${port} on 127.0.0.1 is already in use; choose another with --port (--port 0 picks a free one)`);
    if (code === "EACCES")
      fail("emulator.port-denied", `port ${port} on 127.0.0.1 needs privileges decom does not have; choose one above 1023 with --port`);
    throw err;
  }
}

function portNumber(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value <= 65535)) fail("usage.invalid", `decom emulator: --port must be a port number from 0 to 65535, got "${raw}"`);
  return value;
}

function wholeNumber(flag: string, raw: string): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) fail("usage.invalid", `decom emulator: ${flag} must be a whole number, got "${raw}"`);
  return value;
}

function share(flag: string, raw: string | undefined): number {
  const value = number(flag, raw, 0);
  if (value > 1) fail("usage.invalid", `decom emulator: ${flag} is a share between 0 and 1, got "${raw}"`);
  return value;
}

function number(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) fail("usage.invalid", `decom emulator: ${flag} must be a non-negative number, got "${raw}"`);
  return value;
}
