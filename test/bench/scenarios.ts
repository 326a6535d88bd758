/** One measured decom run on a fresh emulator, and the flat world's scenarios that need no per-resource comparison. */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorStats } from "../../src/emulator/server.js";
import { IDS_PER_LOOKUP } from "./floors.js";
import { measureDecom, startEmulatorProcess, type Measured } from "./processes.js";
import { ceil, fmt, median, ms, ratio, results, row, target } from "./report.js";

/** The flat world: `--generate N` devices, no parents. */
export const FLAT = { latencyMs: 20, perIdMs: 0.2, startDelayMs: 5 };

export const emulatorArgs = (n: number) => [
  "--generate",
  String(n),
  "--latency",
  String(FLAT.latencyMs),
  "--per-id-ms",
  String(FLAT.perIdMs),
  "--start-delay-ms",
  String(FLAT.startDelayMs),
];

const deviceId = (i: number, n: number) => `device-${String(i).padStart(Math.max(7, String(n).length), "0")}`;

export function flatManifest(dir: string, n: number): string {
  const lines = ["version: 1", "resources:"];
  for (let i = 1; i <= n; i++) lines.push(`  - id: ${deviceId(i, n)}`);
  const path = join(dir, "decom.yaml");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

function check(measured: Measured, what: string): void {
  if (measured.code !== 0) throw new Error(`${what} exited ${measured.code}`);
}

export interface DecomRun {
  plan: Measured;
  apply: Measured;
  afterPlan: EmulatorStats;
  afterApply: EmulatorStats;
}

export interface RunOptions {
  /** Resources (and resource types) the emulator must hold after the apply; checked. */
  left?: number;
  types?: number;
  planArgs?: string[];
  planOnly?: boolean;
  /** Called with the work folder and the manifest before it is removed. */
  after?: (dir: string, manifest: string) => Promise<void>;
}

/** `decom plan --out plan.json`, then `decom apply plan.json`, each in its own process, on a fresh emulator. */
export async function runDecom(args: string[], writeManifest: (dir: string) => string, options: RunOptions = {}): Promise<DecomRun> {
  const dir = mkdtempSync(join(tmpdir(), "decom-bench-"));
  try {
    const manifest = writeManifest(dir);
    const emulator = await startEmulatorProcess(args);
    const env = { WAYLAY_GATEWAY_URL: emulator.url };
    const plan = await measureDecom(["plan", "--out", "plan.json", ...(options.planArgs ?? [])], dir, env);
    check(plan, "plan");
    const afterPlan = await emulator.stats();
    let apply: Measured = { code: 0, wallMs: 0, cpuMs: 0, peakRssMb: 0, bytesWritten: 0 };
    let afterApply = afterPlan;
    if (!options.planOnly) {
      apply = await measureDecom(["apply", "plan.json"], dir, env);
      check(apply, "apply");
      afterApply = await emulator.stats();
    }
    await emulator.stop();
    if (options.left !== undefined && afterApply.resources !== options.left)
      throw new Error(`${afterApply.resources} resources left after the apply, not ${options.left}`);
    if (options.types !== undefined && afterApply.resourceTypes !== options.types)
      throw new Error(`${afterApply.resourceTypes} resource types left after the apply, not ${options.types}`);
    if (afterApply.idsAcceptedTwice !== 0) throw new Error(`${afterApply.idsAcceptedTwice} ids accepted twice`);
    await options.after?.(dir, manifest);
    return { plan, apply, afterPlan, afterApply };
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
export async function archiveCost(n: number): Promise<void> {
  const label = `Archive, flat, N = ${fmt(n)}`;
  process.stderr.write(`\n${label}\n`);
  const runs: Record<"on" | "off", { wallMs: number; listings: number; archiveBytes: number }[]> = { on: [], off: [] };
  for (let round = 0; round < 3; round++) {
    for (const mode of ["on", "off"] as const) {
      const dir = mkdtempSync(join(tmpdir(), "decom-bench-"));
      try {
        flatManifest(dir, n);
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
  const on = { wallMs: median(runs.on.map((r) => r.wallMs)), listings: median(runs.on.map((r) => r.listings)) };
  const off = { wallMs: median(runs.off.map((r) => r.wallMs)), listings: median(runs.off.map((r) => r.listings)) };
  const bound = ceil(n, IDS_PER_LOOKUP);
  // Listings are the only requests the archive adds (status polls vary from run to run with timing).
  const extra = on.listings - off.listings;
  row(`${label}: extra requests at apply (document listings)`, fmt(extra), `⌈N / ${IDS_PER_LOOKUP}⌉ = ${fmt(bound)}`, ratio(extra, bound));
  row(
    `${label}: apply wall, archive on / off (median of 3)`,
    `${ms(on.wallMs)} / ${ms(off.wallMs)}`,
    "",
    ratio(on.wallMs, off.wallMs),
    target([on.wallMs / off.wallMs], 1.05, "at most"),
  );
  row(`${label}: archive bytes per id`, fmt(median(runs.on.map((r) => r.archiveBytes)) / n), "documents of the flat world", "");
  results[label] = { n, runs, extraRequests: extra, wallRatio: on.wallMs / off.wallMs };
}

/** A plan of `n` explicit ids, alone: its wall time and peak RSS. */
export async function scalePlan(n: number): Promise<Measured> {
  const label = `Flat, N = ${fmt(n)} (plan only)`;
  process.stderr.write(`\n${label}\n`);
  const run = await runDecom(emulatorArgs(n), (dir) => flatManifest(dir, n), { planOnly: true });
  row(`${label}: CPU`, ms(run.plan.cpuMs), "", "");
  row(`${label}: requests`, fmt(run.afterPlan.requests.listing), "", "");
  results[label] = { n, plan: run.plan, requests: run.afterPlan.requests };
  return run.plan;
}
