/**
 * `npm run bench`: decom against the floor the batch API allows and against the
 * per-resource way, side by side in one run, on an emulator in its own process.
 * Prints one table (figure, decom, floor or baseline, ratio) and writes the same
 * to .bench/results.json (git-ignored). Not part of `npm test`.
 * BENCH_ONLY=10000 (or "selector", "archive", "1000000") runs just those scenarios.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { perResourceDelete } from "./baseline.js";
import { measureDecom, measureYamlParse, startEmulatorProcess, type Measured } from "./processes.js";

const LATENCY_MS = 20;
const PER_ID_MS = 0.2;
const START_DELAY_MS = 5;
const IDS_PER_LOOKUP = 100;
const SELECTOR_PAGE = 1000;
const BATCH_SIZE = 500;

interface Row {
  figure: string;
  decom: string;
  reference: string;
  ratio: string;
}

const rows: Row[] = [];
const results: Record<string, unknown> = {};
const emulatorArgs = (n: number) => [
  "--generate",
  String(n),
  "--latency",
  String(LATENCY_MS),
  "--per-id-ms",
  String(PER_ID_MS),
  "--start-delay-ms",
  String(START_DELAY_MS),
];
const deviceId = (i: number, n: number) => `device-${String(i).padStart(Math.max(7, String(n).length), "0")}`;
const ceil = (a: number, b: number) => Math.ceil(a / b);
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n: number) => (n >= 10_000 ? `${fmt(n / 1000, 1)} s` : `${fmt(n)} ms`);
const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;

function row(figure: string, decom: string, reference: string, r: string): void {
  rows.push({ figure, decom, reference, ratio: r });
  process.stderr.write(`  ${figure}: ${decom} | ${reference} | ${r}\n`);
}

function explicitManifest(dir: string, n: number): string {
  const lines = ["version: 1", "resources:"];
  for (let i = 1; i <= n; i++) lines.push(`  - id: ${deviceId(i, n)}`);
  const path = join(dir, "decom.yaml");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

function requestBreakdown(r: Record<string, number>): string {
  return (
    `${fmt(total(r))} (listing ${fmt(r.listing ?? 0)}, get ${fmt(r.get ?? 0)}, POST ${fmt(r.batchPost ?? 0)}, ` +
    `status ${fmt(r.batchStatus ?? 0)}, DELETE ${fmt(r.delete ?? 0)})`
  );
}

function total(r: Record<string, number>): number {
  return Object.values(r).reduce((a, b) => a + b, 0);
}

function check(measured: Measured, what: string): void {
  if (measured.code !== 0) throw new Error(`${what} exited ${measured.code}`);
}

async function decomScenario(
  label: string,
  n: number,
  writeManifest: (dir: string) => string,
  lookupFloor: number,
  baseline: boolean,
): Promise<void> {
  process.stderr.write(`\n${label}\n`);
  const dir = mkdtempSync(join(tmpdir(), "decom-bench-"));
  try {
    const manifest = writeManifest(dir);
    const emulator = await startEmulatorProcess(emulatorArgs(n));
    const env = { WAYLAY_GATEWAY_URL: emulator.url };
    const plan = await measureDecom(["plan", "--out", "plan.json"], dir, env);
    check(plan, "plan");
    const afterPlan = await emulator.stats();
    const apply = await measureDecom(["apply", "plan.json"], dir, env);
    check(apply, "apply");
    const afterApply = await emulator.stats();
    await emulator.stop();
    if (afterApply.resources !== 0 || afterApply.idsAcceptedTwice !== 0)
      throw new Error(`${label}: ${afterApply.resources} left, ${afterApply.idsAcceptedTwice} twice`);

    const requests = afterApply.requests as unknown as Record<string, number>;
    const floorRequests = lookupFloor + 2 * ceil(n, BATCH_SIZE);
    const applyFloorMs = afterApply.workerBusyMs - afterPlan.workerBusyMs + 2 * LATENCY_MS;
    row(
      `${label}: requests, plan + apply`,
      requestBreakdown(requests),
      `floor ${fmt(floorRequests)}`,
      ratio(total(requests), floorRequests),
    );
    row(`${label}: apply wall time`, ms(apply.wallMs), `floor ${ms(applyFloorMs)}`, ratio(apply.wallMs, applyFloorMs));
    row(
      `${label}: bytes written, plan / apply`,
      `${fmt(plan.bytesWritten)} / ${fmt(apply.bytesWritten)}`,
      `${fmt(plan.bytesWritten / n)} / ${fmt(apply.bytesWritten / n)} per id`,
      "",
    );
    const entry: Record<string, unknown> = { n, plan, apply, requests, floorRequests, applyFloorMs, workerBusyMs: afterApply.workerBusyMs };

    if (baseline) {
      const world = await startEmulatorProcess(emulatorArgs(n));
      const ids = Array.from({ length: n }, (_, i) => deviceId(i + 1, n));
      const perResource = await perResourceDelete(world.url, ids);
      const stats = await world.stats();
      await world.stop();
      const baseRequests = total(stats.requests as unknown as Record<string, number>);
      const decomWall = plan.wallMs + apply.wallMs;
      row(
        `${label}: requests vs per-resource`,
        fmt(total(requests)),
        `per-resource ${fmt(baseRequests)}`,
        `${fmt(baseRequests / total(requests), 1)}× fewer`,
      );
      row(
        `${label}: wall (plan + apply) vs per-resource`,
        ms(decomWall),
        `per-resource ${ms(perResource.wallMs)}`,
        `${fmt(perResource.wallMs / decomWall, 1)}× less`,
      );
      entry.perResource = { ...perResource, requests: stats.requests };
    }
    if (n === 100_000) {
      const parse = await measureYamlParse(manifest, dir);
      row(
        `${label}: plan CPU vs yaml.parse of the manifest`,
        ms(plan.cpuMs),
        `yaml.parse ${ms(parse.cpuMs)}`,
        ratio(plan.cpuMs, parse.cpuMs),
      );
      row(`${label}: plan / apply peak RSS`, `${fmt(plan.peakRssMb)} MB / ${fmt(apply.peakRssMb)} MB`, "target < 400 MB", "");
      entry.yamlParse = parse;
    }
    results[label] = entry;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the archive costs an apply: the same plan applied with and without it,
 * each on a fresh emulator, three times; medians. Its extra requests are the
 * document fetch, ⌈N / ids per lookup⌉; its wall time should barely move, the
 * fetch being pipelined with the batches.
 */
async function archiveCost(n: number): Promise<void> {
  const label = `Archive, N = ${fmt(n)}`;
  process.stderr.write(`\n${label}\n`);
  const runs: Record<"on" | "off", { wallMs: number; listings: number; archiveBytes: number }[]> = { on: [], off: [] };
  for (let round = 0; round < 3; round++) {
    for (const mode of ["on", "off"] as const) {
      const dir = mkdtempSync(join(tmpdir(), "decom-bench-"));
      try {
        explicitManifest(dir, n);
        const emulator = await startEmulatorProcess(emulatorArgs(n));
        const env = { WAYLAY_GATEWAY_URL: emulator.url };
        check(await measureDecom(["plan", "--out", "plan.json"], dir, env), "plan");
        const before = (await emulator.stats()).requests.listing;
        const apply = await measureDecom(["apply", "plan.json", ...(mode === "off" ? ["--no-archive"] : [])], dir, env);
        check(apply, `apply (archive ${mode})`);
        const listings = (await emulator.stats()).requests.listing - before;
        await emulator.stop();
        const archive = join(dir, "decom.archive.jsonl");
        runs[mode].push({ wallMs: apply.wallMs, listings, archiveBytes: existsSync(archive) ? statSync(archive).size : 0 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const on = { wallMs: median(runs.on.map((r) => r.wallMs)), listings: median(runs.on.map((r) => r.listings)) };
  const off = { wallMs: median(runs.off.map((r) => r.wallMs)), listings: median(runs.off.map((r) => r.listings)) };
  const bound = ceil(n, IDS_PER_LOOKUP);
  // Listings are the only requests the archive adds (status polls vary from run to run with timing).
  const extra = on.listings - off.listings;
  row(`${label}: extra requests at apply (document listings)`, fmt(extra), `⌈N / ${IDS_PER_LOOKUP}⌉ = ${fmt(bound)}`, ratio(extra, bound));
  row(
    `${label}: apply wall, archive on / off (median of 3)`,
    `${ms(on.wallMs)} / ${ms(off.wallMs)}`,
    "target ≤ 1.05×",
    ratio(on.wallMs, off.wallMs),
  );
  row(`${label}: archive bytes per id`, fmt(median(runs.on.map((r) => r.archiveBytes)) / n), "documents of the generated world", "");
  results[label] = { n, runs, extraRequests: extra, wallRatio: on.wallMs / off.wallMs };
}

async function scalePlan(n: number): Promise<void> {
  const label = `N = ${fmt(n)} (plan only)`;
  process.stderr.write(`\n${label}\n`);
  const dir = mkdtempSync(join(tmpdir(), "decom-bench-"));
  try {
    explicitManifest(dir, n);
    const emulator = await startEmulatorProcess(emulatorArgs(n));
    const plan = await measureDecom(["plan", "--out", "plan.json"], dir, { WAYLAY_GATEWAY_URL: emulator.url });
    const stats = await emulator.stats();
    await emulator.stop();
    check(plan, "plan");
    row(`${label}: CPU / wall`, `${ms(plan.cpuMs)} / ${ms(plan.wallMs)}`, "", "");
    row(`${label}: peak RSS`, `${fmt(plan.peakRssMb)} MB`, "target < 2,048 MB", "");
    row(`${label}: requests`, fmt(total(stats.requests as unknown as Record<string, number>)), "", "");
    results[label] = { n, plan, requests: stats.requests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = process.env.BENCH_ONLY?.split(",");
const wanted = (name: string) => !only || only.includes(name);
const started = performance.now();
process.stderr.write(
  `decom benchmark: emulator in its own process, ${LATENCY_MS} ms per request, ${PER_ID_MS} ms per id of deletion work, ` +
    `batches of ${BATCH_SIZE}\n`,
);
for (const n of [1_000, 10_000, 100_000]) {
  if (wanted(String(n))) await decomScenario(`N = ${fmt(n)}`, n, (dir) => explicitManifest(dir, n), ceil(n, IDS_PER_LOOKUP), n <= 10_000);
}
if (wanted("selector"))
  await decomScenario(
    "Selector, 10,000 matches",
    10_000,
    (dir) => {
      const path = join(dir, "decom.yaml");
      writeFileSync(path, "version: 1\nresources:\n  - select:\n      resourceTypeId: device\n");
      return path;
    },
    ceil(10_000, SELECTOR_PAGE),
    false,
  );
if (wanted("archive")) await archiveCost(10_000);
if (wanted("1000000")) await scalePlan(1_000_000);

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`;
const elapsed = (performance.now() - started) / 1000;
const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...[["figure", "decom", "floor or baseline", "ratio"][i]!.length, ...rows.map((r) => Object.values(r)[i]!.length)]),
);
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
const table = [
  line(["figure", "decom", "floor or baseline", "ratio"]),
  `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
  ...rows.map((r) => line([r.figure, r.decom, r.reference, r.ratio])),
].join("\n");
const header =
  `Emulator: ${LATENCY_MS} ms per request, ${PER_ID_MS} ms of deletion work per id (one worker, shared by batches and single DELETEs), ` +
  `${START_DELAY_MS} ms batch start delay. decom: batches of ${BATCH_SIZE}, parallelism 4, ${IDS_PER_LOOKUP} ids per lookup. ` +
  "Per-resource: GET + DELETE per id, 10 in flight.\n" +
  `Machine: ${machine}. Run time: ${fmt(elapsed, 0)} s.`;
process.stdout.write(`\n${header}\n\n${table}\n`);
const out = new URL("../../.bench/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "results.json"),
  JSON.stringify(
    { header, machine, settings: { LATENCY_MS, PER_ID_MS, START_DELAY_MS, BATCH_SIZE, IDS_PER_LOOKUP }, rows, results },
    null,
    2,
  ) + "\n",
);
process.stdout.write(`\nWritten to .bench/results.json\n`);
