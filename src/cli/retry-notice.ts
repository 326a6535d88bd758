/**
 * The line saying decom is retrying: why, and for how long at most. It goes to
 * stderr, never into a view. When apply's live bar may be on the terminal
 * (stdout and stderr both a terminal that is not dumb), it first clears the
 * line the bar is on; the bar is drawn again below it on its next tick.
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
  const barMayShow = io.stderr.isTTY === true && io.stdout.isTTY === true && io.env.TERM !== "dumb";
  return (notice) => io.stderr.write((barMayShow ? CLEAR_LINE : "") + renderRetryNotice(notice));
}
