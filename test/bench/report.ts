/** The benchmark's table: rows of figure, decom, floor or baseline, ratio and target, and how numbers are shown. */

export interface Row {
  figure: string;
  decom: string;
  reference: string;
  ratio: string;
  /** "≤ 1.30×: met", "… not met", or empty for a figure with no target. */
  target: string;
}

export const rows: Row[] = [];
export const results: Record<string, unknown> = {};

export const ceil = (a: number, b: number) => Math.ceil(a / b);
export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const ms = (n: number) => (n >= 10_000 ? `${fmt(n / 1000, 1)} s` : `${fmt(n)} ms`);
export const times = (n: number, digits = 2) => `${fmt(n, digits)}×`;
export const ratio = (a: number, b: number) => times(a / b);

export function row(figure: string, decom: string, reference: string, r: string, target = ""): void {
  rows.push({ figure, decom, reference, ratio: r, target });
  process.stderr.write(`  ${figure}: ${decom} | ${reference} | ${r}${target ? ` | ${target}` : ""}\n`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One value, or `min / median / max` of several runs. */
export function spread(values: readonly number[], show: (n: number) => string): string {
  if (values.length === 1) return show(values[0]!);
  return `${show(Math.min(...values))} / ${show(median(values))} / ${show(Math.max(...values))}`;
}

/** A target judged on the median of the runs: `at most` the limit, or `at least` it. */
export function target(values: readonly number[], limit: number, direction: "at most" | "at least", unit = "×"): string {
  const m = median(values);
  const met = direction === "at most" ? m <= limit : m >= limit;
  const bound = unit === "×" ? times(limit) : `${fmt(limit)} ${unit}`;
  return `${direction === "at most" ? "≤" : "≥"} ${bound}: ${met ? "met" : "not met"}`;
}

export function total(r: Record<string, number>): number {
  return Object.values(r).reduce((a, b) => a + b, 0);
}

export function requestBreakdown(r: Record<string, number>): string {
  return (
    `${fmt(total(r))} (listing ${fmt(r.listing ?? 0)}, get ${fmt(r.get ?? 0)}, POST ${fmt(r.batchPost ?? 0)}, ` +
    `status ${fmt(r.batchStatus ?? 0)}, DELETE ${fmt(r.delete ?? 0)})`
  );
}

export function renderTable(): string {
  const headings = ["figure", "decom", "floor or baseline", "ratio", "target (on the median)"];
  const cells = rows.map((r) => [r.figure, r.decom, r.reference, r.ratio, r.target]);
  const widths = headings.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((s, i) => s.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(headings), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}
