/**
 * What one saved plan costs this process, plan and apply, without the rest of
 * `npm run bench`: N explicit ids against a generated emulator (no latency),
 * plan --out, then apply of that saved plan; prints CPU, wall and peak RSS of
 * each and the plan's CPU against a bare `yaml.parse` of the same manifest.
 * Runs dist/ (build it first). Usage:
 *   node --import tsx test/bench/plan-apply-cost.ts N [rounds] [plan-only]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureDecom, measureYamlParse, startEmulatorProcess } from "./processes.js";

const n = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 1);
const planOnly = process.argv[4] === "plan-only";
const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

for (let round = 0; round < rounds; round++) {
  const dir = mkdtempSync(join(tmpdir(), "decom-cost-"));
  try {
    const width = Math.max(7, String(n).length);
    const lines = ["version: 1", "resources:"];
    for (let i = 1; i <= n; i++) lines.push(`  - id: device-${String(i).padStart(width, "0")}`);
    const manifest = join(dir, "decom.yaml");
    writeFileSync(manifest, lines.join("\n") + "\n");
    const emulator = await startEmulatorProcess(["--generate", String(n)]);
    const env = { WAYLAY_GATEWAY_URL: emulator.url };
    const plan = await measureDecom(["plan", "--out", "plan.json"], dir, env);
    if (plan.code !== 0) throw new Error(`plan exited ${plan.code}`);
    const parse = await measureYamlParse(manifest, dir);
    let applied = "";
    if (!planOnly) {
      const apply = await measureDecom(["apply", "plan.json"], dir, env);
      if (apply.code !== 0) throw new Error(`apply exited ${apply.code}`);
      applied = ` | apply CPU ${fmt(apply.cpuMs)} ms, wall ${fmt(apply.wallMs)} ms, peak RSS ${fmt(apply.peakRssMb)} MB`;
    }
    await emulator.stop();
    process.stdout.write(
      `N=${fmt(n)} plan CPU ${fmt(plan.cpuMs)} ms, wall ${fmt(plan.wallMs)} ms, peak RSS ${fmt(plan.peakRssMb)} MB | ` +
        `yaml.parse ${fmt(parse.cpuMs)} ms | ratio ${fmt(plan.cpuMs / parse.cpuMs, 2)}×${applied}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
