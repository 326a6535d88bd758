/**
 * How far V8 lets the heap grow past what its last full collection kept
 * before it collects again. Left to itself, after the first full collection
 * of a run (when it knows nothing of its speed yet) it lets the old
 * generation grow to 4 times what survived; what a plan or an apply holds
 * per id then sits beside up to three times as much garbage until the
 * process ends. An apply of a saved 100,000-id plan kept 59 MB at that first
 * collection and grew to 252 MB before the next (peak RSS 305-395 MB from one
 * run to the next); at 1.5 times it peaks at 280 MB, run after run, for the
 * same CPU.
 *
 * Only when collections happen changes, never how large the heap may become:
 * V8's limit (from the machine's memory, or --max-old-space-size) is the
 * same, so a plan of any size that fits today still fits, and the cost is
 * more full collections, which V8 marks concurrently on other cores.
 */
import { setFlagsFromString } from "node:v8";

const HEAP_GROWING_PERCENT = 50;

/** The V8 flag to set, or undefined when the heap's growth was set when node was started (flags or NODE_OPTIONS). */
export function heapGrowthFlag(env: NodeJS.ProcessEnv, execArgv: readonly string[]): string | undefined {
  const given = [...execArgv, env.NODE_OPTIONS ?? ""].some((flag) => /heap[-_]growing[-_]percent/.test(flag));
  return given ? undefined : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

export function collectSooner(env: NodeJS.ProcessEnv, execArgv: readonly string[]): void {
  const flag = heapGrowthFlag(env, execArgv);
  if (flag !== undefined) setFlagsFromString(flag);
}
