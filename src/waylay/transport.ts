/**
 * One HTTP exchange with the Waylay API, retried where retrying is safe.
 * GETs are retried on 429, 5xx and network errors. A POST creates a batch, so it
 * is retried only when the server certainly did not act on it: 429, 503, or a
 * connection that was never made. After a 429 or 503 decom waits the longer of
 * its backoff and the Retry-After the server asked for, once, and not at all
 * when no attempt follows.
 *
 * What cannot pass on retry fails at once, naming the endpoint: a TLS failure,
 * a host DNS does not know, 401/403. A refused connection while nothing has yet
 * answered at the endpoint during this run is most likely a wrong address, so
 * it is retried only briefly (`firstContactMs`); once the endpoint has answered,
 * a refusal is a restart and gets the whole retry budget. The transport prints
 * nothing: `onRetry` hears when it starts retrying.
 */
import ky, { type KyInstance } from "ky";
import pRetry from "p-retry";
import { authorizationHeader, type Credentials } from "./auth.js";
import { HttpError } from "./errors/HttpError.js";
import { NetworkError } from "./errors/NetworkError.js";
import { RequestCancelledError } from "./errors/RequestCancelledError.js";
import type { WaylayError } from "./errors/WaylayError.js";
import { backoffMs, longestBackoffMs, type Backoff } from "./backoff.js";
import { AuthError } from "./errors/AuthError.js";
import { EndpointError } from "./errors/EndpointError.js";
import { RetryableHttpError } from "./errors/RetryableHttpError.js";
import { endpointPathHint, endpointProblem, retryAfterTooLong, retryReason } from "./failure-words.js";
import { classifyNetworkFailure, isPermanent } from "./network-failure.js";
import { parseRetryAfter } from "./retry-after.js";
import type { Pressure } from "../async/aimd.js";
import { sleep } from "../async/sleep.js";

/** One HTTP request, per attempt, unless the caller says otherwise (`--request-timeout`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface TransportOptions {
  endpoint: string;
  credentials?: Credentials | undefined;
  /** Per request attempt. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  retries?: number;
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Longest Retry-After decom will honour before giving up on a request. */
  maxRetryAfterMs?: number;
  /**
   * How long a refused connection is retried while nothing has answered at the
   * endpoint yet during this run (default 2 s).
   */
  firstContactMs?: number;
  /** After the first notice, the least time between two `onRetry` calls for the same kind of failure (default 60 s). */
  retryNoticeEveryMs?: number;
  /** Where the credentials came from, for the message of a 401 or 403; undefined when none are sent. */
  credentialsSource?: string | undefined;
  /**
   * Called when a failed attempt is about to be retried: the first time, then
   * at most once every `retryNoticeEveryMs` while failures of the same kind go
   * on, so a long outage shows without a line per attempt; and at once when
   * the kind changes (refused, then 503), so the cause shown is the current one.
   */
  onRetry?: (notice: RetryNotice) => void;
  /** Called once per attempt; `--debug` prints it. Never sees headers or bodies. */
  onExchange?: (exchange: Exchange) => void;
  /**
   * Cancels every request under way and every retry still to come: once a
   * command stops at once (or ends), nothing more reaches the tenant.
   */
  signal?: AbortSignal | undefined;
}

export interface Exchange {
  method: string;
  /** With its query string. */
  url: string;
  status: number | "error";
  durationMs: number;
  attempt: number;
}

export interface RetryNotice {
  method: string;
  url: string;
  /** Why the attempt failed, in words: `connection refused by 127.0.0.1:4567`, `api.waylay.io answered 503`. */
  reason: string;
  /** The attempt about to be made, and the most there can be. */
  attempt: number;
  attempts: number;
  /** The longest decom may still wait between attempts before it gives up on this request. */
  giveUpWithinMs: number;
  /** Nothing has answered at the endpoint yet during this run: decom gives up after `firstContactMs`. */
  firstContact: boolean;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  url: string;
}

type Method = "GET" | "POST";

/** Failures that prove the request never reached the server (no connection was made). */
const NOT_SENT: ReadonlySet<NetworkError["kind"]> = new Set(["refused", "unreachable"]);

export class Transport {
  readonly endpoint: string;
  private readonly ky: KyInstance;
  private readonly backoff: Backoff;
  private readonly options: Required<Omit<TransportOptions, "credentials" | "credentialsSource" | "onExchange" | "onRetry" | "signal">> &
    TransportOptions;
  /** Some request of this run got an answer, any answer, from the endpoint. */
  private answered = false;
  private lastNoticeAt: number | undefined;
  /** The kind of failure the last notice named (see failureKind). */
  private lastNoticeKind: string | undefined;

  constructor(options: TransportOptions) {
    this.options = {
      timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      retries: 10,
      minRetryDelayMs: 200,
      maxRetryDelayMs: 10_000,
      maxRetryAfterMs: 120_000,
      firstContactMs: 2_000,
      retryNoticeEveryMs: 60_000,
      ...options,
    };
    this.endpoint = options.endpoint;
    this.backoff = { minMs: this.options.minRetryDelayMs, maxMs: this.options.maxRetryDelayMs, factor: 2 };
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.credentials) headers.authorization = authorizationHeader(options.credentials);
    this.ky = ky.create({ retry: 0, throwHttpErrors: false, timeout: this.options.timeoutMs, headers });
  }

  /** Absolute URL for an API path (`/resources/v1/...`); the endpoint may carry a path prefix. */
  url(path: string): string {
    return this.endpoint + path;
  }

  /**
   * Sends the request; answers with any status in `accept`, throws HttpError for
   * any other (AuthError for 401/403), NetworkError when there was no answer
   * (EndpointError when none can ever come).
   */
  async send(
    method: Method,
    url: string,
    init: {
      searchParams?: URLSearchParams;
      json?: unknown;
      accept: readonly number[];
      /**
       * Told of every attempt answered 429 or 503, and of the answer taken: how many may be in flight (AimdLimit).
       * Passed only by a caller that holds a place in that limit: the place is given up while a retry waits.
       */
      pressure?: Pressure | undefined;
    },
  ): Promise<HttpAnswer> {
    const shown = url + (init.searchParams && init.searchParams.size > 0 ? `?${init.searchParams}` : "");
    const signal = this.options.signal;
    if (signal?.aborted) throw new RequestCancelledError(method, shown);
    const sequenceStarted = performance.now();
    return pRetry(
      async (attempt) => {
        const started = performance.now();
        let response: Response;
        try {
          response = await this.ky(url, { method, searchParams: init.searchParams, json: init.json, ...(signal ? { signal } : {}) });
        } catch (err) {
          if (signal?.aborted) throw new RequestCancelledError(method, shown);
          this.trace(method, shown, "error", started, attempt);
          throw this.networkError(method, shown, err);
        }
        this.answered = true;
        this.trace(method, shown, response.status, started, attempt);
        const body = await readBody(response);
        if (response.status === 429 || response.status === 503) init.pressure?.throttled(started, performance.now());
        if (init.accept.includes(response.status)) {
          init.pressure?.answered();
          return { status: response.status, headers: response.headers, body, url };
        }
        const message = serverMessage(body);
        if (this.isRetryableStatus(method, response.status)) {
          const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
          // Longer than decom waits: no retry follows (waitBeforeRetry), and the error says why.
          const tooLong = retryAfterMs !== undefined && retryAfterMs > this.options.maxRetryAfterMs;
          throw new RetryableHttpError(
            method,
            shown,
            response.status,
            message,
            retryAfterMs,
            tooLong ? retryAfterTooLong(retryAfterMs, this.options.maxRetryAfterMs) : undefined,
          );
        }
        if (response.status === 401 || response.status === 403) {
          throw new AuthError(
            method,
            shown,
            response.status,
            message,
            this.endpoint,
            this.options.credentials ? (this.options.credentialsSource ?? "the caller") : undefined,
          );
        }
        throw new HttpError(method, shown, response.status, message, response.status === 404 ? endpointPathHint(this.endpoint) : undefined);
      },
      {
        retries: this.options.retries,
        // p-retry counts the attempts; the wait is ours (see waitBeforeRetry), so p-retry adds none.
        minTimeout: 0,
        randomize: false,
        // Asked only when another attempt can follow, so nothing is slept after the last one.
        shouldRetry: async ({ error, retriesConsumed }) => {
          const firstContact = this.isFirstContact(error);
          const waitMs = this.waitBeforeRetry(
            method,
            error,
            retriesConsumed,
            firstContact ? this.options.firstContactMs - (performance.now() - sequenceStarted) : Infinity,
          );
          if (waitMs === undefined) return false;
          this.notice(error, retriesConsumed, waitMs, firstContact, sequenceStarted);
          // Not in flight while it waits: the place it holds in the caller's limit goes to another request meanwhile.
          if (init.pressure?.waitOut) await init.pressure.waitOut(waitMs, signal);
          else await sleep(waitMs, signal);
          return true;
        },
        ...(signal ? { signal } : {}),
      },
    ).catch((err: unknown) => {
      if (signal?.aborted) throw new RequestCancelledError(method, shown);
      if (this.isFirstContact(err)) {
        throw new EndpointError(method, shown, this.endpoint, `nothing is listening at ${this.endpoint} (connection refused)`, {
          kind: "refused",
          reason: "ECONNREFUSED",
          cause: err,
        });
      }
      throw err;
    });
  }

  /** A refusal while nothing has answered yet: most likely a wrong address, not a restart. */
  private isFirstContact(error: unknown): boolean {
    return !this.answered && error instanceof NetworkError && !(error instanceof EndpointError) && error.kind === "refused";
  }

  /**
   * How long to wait before retry number `retry` (0 for the first), or
   * undefined not to retry: the backoff, or the server's Retry-After when that
   * is longer; never both added up. `leftMs` bounds the wait (first contact).
   */
  private waitBeforeRetry(method: Method, error: Error, retry: number, leftMs: number): number | undefined {
    if (!this.isRetryable(method, error)) return undefined;
    const backoff = backoffMs(retry, this.backoff);
    if (leftMs <= 0) return undefined;
    if (!(error instanceof RetryableHttpError) || error.retryAfterMs === undefined) return Math.min(backoff, leftMs);
    if (error.retryAfterMs > this.options.maxRetryAfterMs) return undefined;
    return Math.max(error.retryAfterMs, backoff);
  }

  private notice(error: Error, retry: number, waitMs: number, firstContact: boolean, sequenceStarted: number): void {
    const now = performance.now();
    const kind = failureKind(error);
    // A new kind of failure is said at once, so the last notice always names the current cause and its longest wait.
    const sameKind = kind === this.lastNoticeKind;
    if (!this.options.onRetry || (sameKind && this.lastNoticeAt !== undefined && now - this.lastNoticeAt < this.options.retryNoticeEveryMs))
      return;
    this.lastNoticeAt = now;
    this.lastNoticeKind = kind;
    const { retries, timeoutMs, firstContactMs } = this.options;
    // Attempts that time out take their whole timeout, on top of the waits.
    const attemptsMs = error instanceof NetworkError && error.kind === "timeout" ? (retries - retry) * timeoutMs : 0;
    const giveUpWithinMs = firstContact
      ? firstContactMs - (now - sequenceStarted)
      : waitMs + longestBackoffMs(retry + 1, retries, this.backoff) + attemptsMs;
    const failed = error as WaylayError;
    this.options.onRetry({
      method: failed.method,
      url: failed.url,
      reason: retryReason(error, timeoutMs),
      attempt: retry + 2,
      attempts: retries + 1,
      giveUpWithinMs,
      firstContact,
    });
  }

  /** A request that got no answer; one that can never get one names the endpoint and fails at once. */
  private networkError(method: string, url: string, err: unknown): NetworkError {
    const failure = classifyNetworkFailure(err);
    const cause = (err as { cause?: unknown }).cause ?? err;
    const options = { kind: failure.kind, reason: failure.code, cause };
    if (!isPermanent(failure)) return new NetworkError(method, url, failure.code, options);
    return new EndpointError(method, url, this.endpoint, endpointProblem(this.endpoint, failure), options);
  }

  private isRetryableStatus(method: Method, status: number): boolean {
    if (status === 429 || status === 503) return true;
    return method === "GET" && status >= 500;
  }

  private isRetryable(method: Method, error: Error): boolean {
    if (error instanceof RetryableHttpError) return true;
    if (error instanceof EndpointError) return false;
    if (error instanceof NetworkError) return method === "GET" || NOT_SENT.has(error.kind);
    return false;
  }

  private trace(method: string, url: string, status: number | "error", started: number, attempt: number): void {
    this.options.onExchange?.({ method, url, status, durationMs: performance.now() - started, attempt });
  }
}

/**
 * What kind of failure a retry is for, as far as a notice goes: throttling
 * (429), the server failing (5xx: a 502 after a 503 is the same outage), or
 * the network's kind of failure (refused, timeout, reset...).
 */
function failureKind(error: Error): string {
  if (error instanceof RetryableHttpError) return error.status === 429 ? "throttled" : "server error";
  return error instanceof NetworkError ? `network: ${error.kind}` : "other";
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The contract's ErrorResponse carries `error`; fall back to whatever came. */
export function serverMessage(body: unknown): string {
  if (body && typeof body === "object" && typeof (body as { error?: unknown }).error === "string") {
    return (body as { error: string }).error;
  }
  if (typeof body === "string") return body.slice(0, 500);
  return "";
}
