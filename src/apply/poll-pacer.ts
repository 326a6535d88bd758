/**
 * When to look at a running batch again. It learns the server's processing time
 * per id from finished batches (their own queueTime → finishedTime), so the first
 * poll lands about when the batch should be done, then polls more often while
 * it is late, backing off to `maxMs`.
 */
export class PollPacer {
  private perIdMs: number | undefined;

  constructor(
    private readonly minMs = 20,
    private readonly maxMs = 5000,
    private readonly initialMs = 200,
  ) {}

  firstDelay(ids: number): number {
    if (this.perIdMs === undefined) return this.initialMs;
    return this.clamp(this.perIdMs * ids * 1.05);
  }

  nextDelay(previous: number, attempt: number): number {
    return attempt === 1 ? this.clamp(previous / 4) : this.clamp(previous * 1.5);
  }

  learn(ids: number, queueTime: string | undefined, finishedTime: string | undefined): void {
    if (!queueTime || !finishedTime || ids === 0) return;
    const duration = Date.parse(finishedTime) - Date.parse(queueTime);
    if (!Number.isFinite(duration) || duration < 0) return;
    const sample = duration / ids;
    this.perIdMs = this.perIdMs === undefined ? sample : 0.5 * this.perIdMs + 0.5 * sample;
  }

  private clamp(ms: number): number {
    return Math.min(this.maxMs, Math.max(this.minMs, Math.round(ms)));
  }
}
