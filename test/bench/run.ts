/**
 * `npm run bench`: decom against the floor the batch API allows and against the
 * per-resource way, side by side in one run, on an emulator in its own process,
 * on two worlds: a flat one (20 ms per request) and a realistic one (gateways,
 * devices, sensors, references, ~1 KB documents; 50 ms per request, 2 % 429s).
 * Prints one table (figure, decom, floor or baseline, ratio, target) and writes
 * the same to .bench/results.json (git-ignored). Not part of `npm test`.
 * BENCH_ONLY=1000,10000,100000,selector,archive,1000000,realistic,realistic-100000,referrers
 * runs just those scenarios.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { EmulatorStats } from "../../src/emulator/server.js";
import { perResourceDelete, type PerResourceOutcome } from "./baseline.js";
import { archiveCost, emulatorArgs, FLAT, runDecom, type DecomRun, flatManifest, scalePlan } from "./scenarios.js";
import { BATCH_SIZE, IDS_PER_LOOKUP, applyTimeFloor, planApplyTimeFloor, requestFloor, type FloorInputs } from "./floors.js";
import { designRealistic } from "./realistic-world.js";
import { measureYamlParse, startEmulatorProcess } from "./processes.js";
import { fmt, median, ms, ratio, renderTable, requestBreakdown, results, rows, row, spread, target, times, total } from "./report.js";

const REALISTIC = { latencyMs: 50, rateLimit: 0.02, retryAfterS: 1 };
const RUNS = 3;

const requestsOf = (s: EmulatorStats) => s.requests as unknown as Record<string, number>;
const busy = (r: DecomRun) => r.afterApply.workerBusyMs - r.afterPlan.workerBusyMs;
const wall = (r: DecomRun) => r.plan.wallMs + r.apply.wallMs;
const polls = (r: DecomRun) => r.afterApply.requests.batchStatus;

/** Rows every decom scenario gets: requests and plan + apply wall against their floors, bytes written. */
function decomRows(label: string, runs: DecomRun[], inputs: FloorInputs, targets: { wall?: number; requests?: number } = {}): void {
  const requests = runs.map((r) => total(requestsOf(r.afterApply)));
  const floorRequests = requestFloor(inputs);
  row(
    `${label}: requests, plan + apply`,
    runs.length === 1 ? requestBreakdown(requestsOf(runs[0]!.afterApply)) : spread(requests, fmt),
    floorRequests.terms,
    spread(
      requests.map((r) => r / floorRequests.value),
      times,
    ),
    targets.requests
      ? target(
          requests.map((r) => r / floorRequests.value),
          targets.requests,
          "at most",
        )
      : "",
  );
  const floors = runs.map((r) => planApplyTimeFloor(inputs, busy(r)));
  const ratios = runs.map((r, i) => wall(r) / floors[i]!.value);
  row(
    `${label}: plan + apply wall`,
    spread(runs.map(wall), ms),
    floors[Math.floor(runs.length / 2)]!.terms,
    spread(ratios, times),
    targets.wall ? target(ratios, targets.wall, "at most") : "",
  );
  row(
    `${label}: bytes written, plan / apply`,
    `${fmt(median(runs.map((r) => r.plan.bytesWritten)))} / ${fmt(median(runs.map((r) => r.apply.bytesWritten)))}`,
    `${fmt(median(runs.map((r) => r.plan.bytesWritten)) / inputs.waveSizes.reduce((a, b) => a + b, 0))} / ` +
      `${fmt(median(runs.map((r) => r.apply.bytesWritten)) / inputs.waveSizes.reduce((a, b) => a + b, 0))} per id`,
    "",
  );
}

function perResourceRows(label: string, runs: DecomRun[], baseline: PerResourceOutcome, baseRequests: number, atLeast?: number): void {
  const requests = runs.map((r) => total(requestsOf(r.afterApply)));
  row(
    `${label}: requests vs per-resource`,
    spread(requests, fmt),
    `per-resource ${fmt(baseRequests)}`,
    `${spread(
      requests.map((r) => baseRequests / r),
      (n) => fmt(n, 1),
    )}× fewer`,
  );
  const faster = runs.map((r) => baseline.wallMs / wall(r));
  row(
    `${label}: plan + apply wall vs per-resource`,
    spread(runs.map(wall), ms),
    `per-resource ${ms(baseline.wallMs)}`,
    `${spread(faster, (n) => fmt(n, 1))}× faster`,
    atLeast ? target(faster, atLeast, "at least") : "",
  );
}

async function flat(n: number): Promise<void> {
  const label = `Flat, N = ${fmt(n)}`;
  process.stderr.write(`\n${label}\n`);
  const runs: DecomRun[] = [];
  let yamlParse: Awaited<ReturnType<typeof measureYamlParse>> | undefined;
  const count = n === 100_000 ? 1 : RUNS;
  for (let i = 0; i < count; i++) {
    runs.push(
      await runDecom(emulatorArgs(n), (dir) => flatManifest(dir, n), {
        left: 0,
        after: async (dir, manifest) => {
          if (n === 100_000) yamlParse = await measureYamlParse(manifest, dir);
        },
      }),
    );
  }
  const inputs: FloorInputs = {
    latencyMs: FLAT.latencyMs,
    explicitIds: n,
    explicitTypes: 0,
    selectorMatches: [],
    waveSizes: [n],
    typesDeleted: 0,
    withParent: 0,
  };
  decomRows(label, runs, inputs, { wall: n === 10_000 ? 1.3 : n === 100_000 ? 1.15 : undefined });
  if (n === 1_000) {
    const ratios = runs.map((r) => r.apply.wallMs / applyTimeFloor(inputs, busy(r)).value);
    row(
      `${label}: apply wall`,
      spread(
        runs.map((r) => r.apply.wallMs),
        ms,
      ),
      applyTimeFloor(inputs, busy(runs[1]!)).terms,
      spread(ratios, times),
      target(ratios, 1.8, "at most"),
    );
  }
  if (n === 10_000) {
    const perBatch = runs.map((r) => polls(r) / r.afterApply.batchesAccepted);
    row(
      `${label}: status polls ÷ batches`,
      spread(runs.map(polls), fmt),
      `${fmt(runs[0]!.afterApply.batchesAccepted)} batches`,
      spread(perBatch, times),
      target(perBatch, 1.1, "at most"),
    );
  }
  if (n <= 10_000) {
    const world = await startEmulatorProcess(emulatorArgs(n));
    const ids = Array.from({ length: n }, (_, i) => `device-${String(i + 1).padStart(Math.max(7, String(n).length), "0")}`);
    const baseline = await perResourceDelete(world.url, [ids]);
    const stats = await world.stats();
    await world.stop();
    perResourceRows(label, runs, baseline, total(requestsOf(stats)));
    results[`${label}: per-resource`] = { ...baseline, requests: stats.requests };
  }
  if (n === 100_000 && yamlParse) {
    const run = runs[0]!;
    row(
      `${label}: plan CPU ÷ yaml.parse of the manifest`,
      ms(run.plan.cpuMs),
      `yaml.parse ${ms(yamlParse.cpuMs)}`,
      ratio(run.plan.cpuMs, yamlParse.cpuMs),
      target([run.plan.cpuMs / yamlParse.cpuMs], 2, "at most"),
    );
    row(`${label}: plan peak RSS`, `${fmt(run.plan.peakRssMb)} MB`, "", "");
    row(
      `${label}: apply peak RSS (saved plan)`,
      `${fmt(run.apply.peakRssMb)} MB`,
      "",
      "",
      target([run.apply.peakRssMb], 300, "at most", "MB"),
    );
  }
  results[label] = { n, runs, inputs, yamlParse };
}

async function selector(): Promise<void> {
  const label = "Flat, selector, 10,000 matches";
  process.stderr.write(`\n${label}\n`);
  const run = await runDecom(
    emulatorArgs(10_000),
    (dir) => {
      const path = join(dir, "decom.yaml");
      writeFileSync(path, "version: 1\nresources:\n  - select:\n      resourceTypeId: device\n");
      return path;
    },
    { left: 0 },
  );
  const inputs: FloorInputs = {
    latencyMs: FLAT.latencyMs,
    explicitIds: 0,
    explicitTypes: 0,
    selectorMatches: [10_000],
    waveSizes: [10_000],
    typesDeleted: 0,
    withParent: 0,
  };
  decomRows(label, [run], inputs);
  results[label] = { run, inputs };
}

function realisticArgs(worldSize: number, faultSeed: number): string[] {
  return [
    "--generate-realistic",
    String(worldSize),
    "--latency",
    String(REALISTIC.latencyMs),
    "--per-id-ms",
    String(FLAT.perIdMs),
    "--start-delay-ms",
    String(FLAT.startDelayMs),
    "--rate-limit",
    String(REALISTIC.rateLimit),
    "--retry-after",
    String(REALISTIC.retryAfterS),
    "--fault-seed",
    String(faultSeed),
  ];
}

async function realistic(n: number): Promise<void> {
  const label = `Realistic, N = ${fmt(n)}`;
  process.stderr.write(`\n${label}\n`);
  const design = designRealistic(n);
  const writeManifest = (dir: string) => {
    const path = join(dir, "decom.yaml");
    writeFileSync(path, design.manifest);
    return path;
  };
  const runs: DecomRun[] = [];
  const count = n === 10_000 ? RUNS : 1;
  for (let i = 0; i < count; i++) {
    runs.push(await runDecom(realisticArgs(design.worldSize, i + 1), writeManifest, { left: design.worldSize - n, types: 3 }));
  }
  const inputs: FloorInputs = {
    latencyMs: REALISTIC.latencyMs,
    explicitIds: design.explicitIds,
    explicitTypes: design.legacyTypes.length,
    selectorMatches: design.selectorMatches,
    waveSizes: design.waves.map((w) => w.length),
    typesDeleted: design.legacyTypes.length,
    withParent: design.withParent,
  };
  row(
    `${label}: the world and the manifest`,
    `${fmt(design.worldSize)} resources, 6 types; deletes ${fmt(n)} + 3 types`,
    `${fmt(design.selectorMatches.reduce((a, b) => a + b, 0))} by 3 selectors, ${fmt(design.explicitIds)} by id`,
    "",
  );
  decomRows(label, runs, inputs, { wall: 1.4, requests: 1.15 });
  const decom429 = runs.map((r) => r.afterApply.faults.rateLimited);
  if (n === 10_000) {
    const world = await startEmulatorProcess(realisticArgs(design.worldSize, 100));
    const baseline = await perResourceDelete(world.url, design.waves);
    const stats = await world.stats();
    await world.stop();
    if (baseline.deleted !== n || baseline.failed !== 0)
      throw new Error(`per-resource deleted ${baseline.deleted} of ${n}, ${baseline.failed} refused`);
    perResourceRows(label, runs, baseline, total(requestsOf(stats)), 20);
    row(`${label}: 429s caused, plan + apply`, spread(decom429, fmt), `per-resource ${fmt(stats.faults.rateLimited)}`, "");
    results[`${label}: per-resource`] = { ...baseline, requests: stats.requests, faults: stats.faults };
  } else {
    row(`${label}: 429s caused, plan + apply`, spread(decom429, fmt), "", "");
  }
  results[label] = { n, worldSize: design.worldSize, runs, inputs };
}

/** What checking referrers costs: the contract's referrers listing answers for one resource at a time. */
async function referrersCheck(n: number): Promise<void> {
  const label = `Realistic, N = ${fmt(n)}: plan --check-referrers`;
  process.stderr.write(`\n${label}\n`);
  const design = designRealistic(n);
  const write = (dir: string) => {
    const path = join(dir, "decom.yaml");
    writeFileSync(path, design.manifest);
    return path;
  };
  const without = await runDecom(realisticArgs(design.worldSize, 1), write, { planOnly: true });
  const withCheck = await runDecom(realisticArgs(design.worldSize, 1), write, { planOnly: true, planArgs: ["--check-referrers"] });
  const listings = (r: DecomRun) => r.afterPlan.requests.listing;
  row(
    `${label}: plan listings, with / without`,
    `${fmt(listings(withCheck))} / ${fmt(listings(without))}`,
    `+ ${fmt(n)} (one referrers listing per deleted resource)`,
    ratio(listings(withCheck) - listings(without), n),
  );
  row(
    `${label}: plan wall, with / without`,
    `${ms(withCheck.plan.wallMs)} / ${ms(without.plan.wallMs)}`,
    "",
    ratio(withCheck.plan.wallMs, without.plan.wallMs),
  );
  results[label] = { n, without, withCheck };
}

const only = process.env.BENCH_ONLY?.split(",");
const wanted = (name: string) => !only || only.includes(name);
const started = performance.now();
process.stderr.write("decom benchmark: emulator in its own process\n");
for (const n of [1_000, 10_000, 100_000]) if (wanted(String(n))) await flat(n);
if (wanted("selector")) await selector();
if (wanted("archive")) await archiveCost(10_000);
if (wanted("1000000")) {
  const plan = await scalePlan(1_000_000);
  row("Flat, N = 1,000,000 (plan only): wall", ms(plan.wallMs), "", "", target([plan.wallMs / 1000], 30, "at most", "s"));
  row("Flat, N = 1,000,000 (plan only): peak RSS", `${fmt(plan.peakRssMb)} MB`, "", "", target([plan.peakRssMb], 1024, "at most", "MB"));
}
if (wanted("realistic")) await realistic(10_000);
if (wanted("realistic-100000")) await realistic(100_000);
if (wanted("referrers")) await referrersCheck(1_000);

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`;
const elapsed = (performance.now() - started) / 1000;
const header =
  `Flat world: ${FLAT.latencyMs} ms per request. Realistic world: ${REALISTIC.latencyMs} ms per request, ` +
  `${fmt(REALISTIC.rateLimit * 100)} % of requests answered 429 (Retry-After ${REALISTIC.retryAfterS} s). Both: ` +
  `${FLAT.perIdMs} ms of deletion work per id (one worker, shared by batches and single DELETEs), ` +
  `${FLAT.startDelayMs} ms batch start delay. ` +
  `decom: batches of ${BATCH_SIZE}, ${IDS_PER_LOOKUP} ids per lookup, archive on. Per-resource: GET + DELETE per id, 10 in flight, ` +
  `429s waited out, deepest first. Several runs: min / median / max; targets judged on the median.\n` +
  `Machine: ${machine}. Run time: ${fmt(elapsed, 0)} s.`;
const table = renderTable();
process.stdout.write(`\n${header}\n\n${table}\n`);
const out = new URL("../../.bench/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "results.json"),
  `${JSON.stringify({ header, machine, settings: { FLAT, REALISTIC, RUNS }, table, rows, results }, null, 2)}\n`,
);
process.stdout.write("\nWritten to .bench/results.json\n");
