// The floor for plan CPU: parsing the same manifest with `yaml` alone.
// Usage: node yaml-parse.mjs MANIFEST REPORT.json
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

const [manifest, report] = process.argv.slice(2);
const before = process.resourceUsage();
const started = performance.now();
const data = parse(readFileSync(manifest, "utf8"));
const wallMs = performance.now() - started;
const after = process.resourceUsage();
const cpuMs = (after.userCPUTime + after.systemCPUTime - before.userCPUTime - before.systemCPUTime) / 1000;
writeFileSync(report, JSON.stringify({ cpuMs, wallMs, peakRssMb: after.maxRSS / 1024, entries: data.resources.length }));
