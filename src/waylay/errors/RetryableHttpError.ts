import { HttpError } from "./HttpError.js";

/** A status worth another attempt (429, 5xx), with the server's Retry-After if it gave one. Thrown only once retries are spent. */
export class RetryableHttpError extends HttpError {
  constructor(
    method: string,
    url: string,
    status: number,
    serverMessage: string,
    readonly retryAfterMs: number | undefined,
    /** Why decom stopped sooner than its retries allowed (a Retry-After longer than it waits). */
    hint?: string,
  ) {
    super(method, url, status, serverMessage, hint);
  }
}
