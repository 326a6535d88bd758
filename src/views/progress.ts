/**
 * Apply progress. On a terminal: one live bar per wave (done/total, ids per
 * second, ETA), redrawn in place and cleared into a final line when the wave
 * ends. Elsewhere (CI logs): a line when a wave starts, a progress line at most
 * every few seconds, a final line. `quiet` keeps only what signals a problem.
 * A problem (a batch without acknowledgement, left in flight, waves not
 * started) is a warning, written with `warn` (stderr).
 */
import type { ApplyEvent } from "../apply/events.js";
import { escaped } from "../text/escape.js";
import { count, formatNumber } from "../text/plural.js";
import type { Palette } from "./colour.js";
import { haltReasonText } from "./halt-reason.js";

export interface ProgressOptions {
  write: (text: string) => void;
  /** Where warnings go; the bar is cleared before and redrawn after. */
  warn: (text: string) => void;
  tty: boolean;
  quiet: boolean;
  palette: Palette;
  now?: () => number;
  /** Without a terminal: at most one progress line this often. */
  plainEveryMs?: number;
}

interface WaveProgress {
  wave: number;
  waves: number;
  noun: string;
  total: number;
  done: number;
  deleted: number;
  absent: number;
  failed: number;
  started: number;
  lastPlain: number;
}

const CLEAR_LINE = "\r\u001b[2K";
const BAR_WIDTH = 24;

export class ProgressView {
  private wave: WaveProgress | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private barShown = false;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
  }

  handle(event: ApplyEvent): void {
    const p = this.options.palette;
    switch (event.type) {
      case "wave-started": {
        const noun = event.kind === "resource" ? "resource" : "resource type";
        this.wave = {
          wave: event.wave,
          waves: event.waves,
          noun,
          total: event.ids,
          done: 0,
          deleted: 0,
          absent: 0,
          failed: 0,
          started: this.now(),
          lastPlain: this.now(),
        };
        if (this.options.quiet) return;
        if (this.options.tty) {
          this.ticker = setInterval(() => this.drawBar(), 200);
          this.ticker.unref();
          this.drawBar();
        } else {
          this.line(`${this.waveLabel(this.wave)}: deleting ${count(event.ids, noun)} in ${count(event.batches, "batch", "batches")}...`);
        }
        return;
      }
      case "batch-finished": {
        const w = this.wave;
        if (!w) return;
        w.deleted += event.deleted;
        w.absent += event.absent;
        w.failed += event.failed;
        w.done = w.deleted + w.absent + w.failed;
        if (this.options.quiet) return;
        if (this.options.tty) this.drawBar();
        else if (this.now() - w.lastPlain >= (this.options.plainEveryMs ?? 5000) && w.done < w.total) {
          w.lastPlain = this.now();
          this.line(`  ${this.figures(w)}`);
        }
        return;
      }
      case "wave-finished": {
        this.stopTicker();
        const w = this.wave;
        this.wave = undefined;
        if (!w || this.options.quiet) return;
        const seconds = formatNumber((this.now() - w.started) / 1000, 1);
        const failed = w.failed > 0 ? p.red(`${formatNumber(w.failed)} failed`) : "0 failed";
        this.line(
          `${this.waveLabel(w)}: ${count(w.total, w.noun)}: ` +
            `${formatNumber(w.deleted)} deleted, ${formatNumber(w.absent)} absent, ${failed} in ${seconds}s`,
        );
        return;
      }
      case "batch-unacknowledged":
        return this.warning(
          `  ${p.yellow("no acknowledgement")} for a batch of ${count(event.ids, "id")} (${escaped(event.error)}); ` +
            "checking which are gone before submitting the rest again",
        );
      case "batch-in-flight": {
        const batch = event.batchId !== undefined ? `batch ${escaped(event.batchId)}` : "an unacknowledged batch";
        return this.warning(`  ${p.yellow("still in flight")}: ${batch} (${count(event.ids, "id")}): ${escaped(event.error)}`);
      }
      case "archive-failed":
        return this.warning(
          `  ${p.red("not archived")}: a batch of ${count(event.ids, "id")} was not sent, nor any after it: ${escaped(event.error)}`,
        );
      case "waves-halted":
        return this.warning(`Wave ${formatNumber(event.wave)} and later were not started: ${haltReasonText(event.reason)}.`);
      case "resume-started":
        return this.line(
          `Resuming an interrupted apply: ${count(event.batches, "batch", "batches")} (${count(event.ids, "id")}) in flight.`,
        );
      case "batch-submitted":
        return;
    }
  }

  /** Stops redrawing and leaves the terminal on a clean line. */
  close(): void {
    this.stopTicker();
    this.clearBar();
  }

  /** A permanent line: the bar (if any) is cleared first and redrawn after. */
  private line(text: string, write = this.options.write): void {
    this.clearBar();
    write(text + "\n");
    if (this.ticker) this.drawBar();
  }

  private warning(text: string): void {
    this.line(text, this.options.warn);
  }

  private drawBar(): void {
    const w = this.wave;
    if (!w) return;
    const p = this.options.palette;
    const filled = w.total === 0 ? BAR_WIDTH : Math.round((BAR_WIDTH * w.done) / w.total);
    const bar = p.green("█".repeat(filled)) + p.dim("░".repeat(BAR_WIDTH - filled));
    this.options.write(`${CLEAR_LINE}${this.waveLabel(w)} [${bar}] ${this.figures(w)}`);
    this.barShown = true;
  }

  private clearBar(): void {
    if (!this.barShown) return;
    this.options.write(CLEAR_LINE);
    this.barShown = false;
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.clearBar();
  }

  private figures(w: WaveProgress): string {
    const elapsed = Math.max(1, this.now() - w.started) / 1000;
    const rate = w.done / elapsed;
    const eta = rate > 0 ? `ETA ${formatNumber(Math.ceil((w.total - w.done) / rate))}s` : "ETA …";
    const percent = w.total === 0 ? 100 : Math.floor((100 * w.done) / w.total);
    return `${formatNumber(w.done)}/${formatNumber(w.total)} ids (${percent}%), ${formatNumber(rate)} ids/s, ${eta}`;
  }

  private waveLabel(w: { wave: number; waves: number }): string {
    return `Wave ${formatNumber(w.wave)}/${formatNumber(w.waves)}`;
  }
}
