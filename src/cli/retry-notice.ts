/**
 * The line saying decom is retrying: why, and for how long at most. It goes to
 * stderr, never into a view. At a terminal it first clears the line the cursor
 * is on, in case apply's live bar (on stdout) is drawn there; the bar is drawn
 * again below it on its next tick.
 */
import { escaped } from "../text/escape.js";
import { formatDuration } from "../text/duration.js";
import type { RetryNotice } from "../waylay/transport.js";
import type { Io } from "./io.js";

const CLEAR_LINE = "\r\u001b[2K";

export function renderRetryNotice(notice: RetryNotice): string {
  const within = formatDuration(notice.giveUpWithinMs);
  const plan = notice.firstContact
    ? `nothing has answered there yet, so retrying for up to ${within}`
    : `retrying for up to ${within} (attempt ${notice.attempt} of ${notice.attempts})`;
  return `warning: ${escaped(notice.reason)}; ${plan}\n`;
}

export function retryNoticeHook(io: Io): (notice: RetryNotice) => void {
  return (notice) => io.stderr.write((io.stderr.isTTY ? CLEAR_LINE : "") + renderRetryNotice(notice));
}
