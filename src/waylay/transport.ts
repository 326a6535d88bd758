/**
 * One HTTP exchange with the Waylay API, retried where retrying is safe.
 * GETs are retried on 429, 5xx and network errors. A POST creates a batch, so it
 * is retried only when the server certainly did not act on it: 429, 503, or a
 * connection that was never made. After a 429 or 503 decom waits the longer of
 * its backoff and the Retry-After the server asked for, once, and not at all
 * when no attempt follows.
 */
import ky, { TimeoutError, type KyInstance } from "ky";
import pRetry from "p-retry";
import { authorizationHeader, type Credentials } from "./auth.js";
import { HttpError } from "./errors/HttpError.js";
import { NetworkError } from "./errors/NetworkError.js";
import { RequestCancelledError } from "./errors/RequestCancelledError.js";
import { backoffMs, type Backoff } from "./backoff.js";
import { parseRetryAfter } from "./retry-after.js";
import { sleep } from "../async/sleep.js";

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
  url: string;
  status: number | "error";
  durationMs: number;
  attempt: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  url: string;
}

type Method = "GET" | "POST";

/** Connection errors that prove the request never reached the server. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

class RetryableHttpError extends HttpError {
  constructor(
    method: string,
    url: string,
    status: number,
    serverMessage: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(method, url, status, serverMessage);
  }
}

export class Transport {
  readonly endpoint: string;
  private readonly ky: KyInstance;
  private readonly backoff: Backoff;
  private readonly options: Required<Omit<TransportOptions, "credentials" | "onExchange" | "signal">> & TransportOptions;

  constructor(options: TransportOptions) {
    this.options = {
      timeoutMs: 30_000,
      retries: 10,
      minRetryDelayMs: 200,
      maxRetryDelayMs: 10_000,
      maxRetryAfterMs: 120_000,
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
   * any other, NetworkError when there was no answer.
   */
  async send(
    method: Method,
    url: string,
    init: { searchParams?: URLSearchParams; json?: unknown; accept: readonly number[] },
  ): Promise<HttpAnswer> {
    const shown = url + (init.searchParams && init.searchParams.size > 0 ? `?${init.searchParams}` : "");
    const signal = this.options.signal;
    if (signal?.aborted) throw new RequestCancelledError(method, shown);
    return pRetry(
      async (attempt) => {
        const started = performance.now();
        let response: Response;
        try {
          response = await this.ky(url, { method, searchParams: init.searchParams, json: init.json, ...(signal ? { signal } : {}) });
        } catch (err) {
          if (signal?.aborted) throw new RequestCancelledError(method, shown);
          this.trace(method, url, "error", started, attempt);
          throw toNetworkError(method, shown, err);
        }
        this.trace(method, url, response.status, started, attempt);
        const body = await readBody(response);
        if (init.accept.includes(response.status)) return { status: response.status, headers: response.headers, body, url };
        const message = serverMessage(body);
        if (this.isRetryableStatus(method, response.status)) {
          throw new RetryableHttpError(method, shown, response.status, message, parseRetryAfter(response.headers.get("retry-after")));
        }
        throw new HttpError(method, shown, response.status, message);
      },
      {
        retries: this.options.retries,
        // p-retry counts the attempts; the wait is ours (see waitBeforeRetry), so p-retry adds none.
        minTimeout: 0,
        randomize: false,
        // Asked only when another attempt can follow, so nothing is slept after the last one.
        shouldRetry: async ({ error, retriesConsumed }) => {
          const waitMs = this.waitBeforeRetry(method, error, retriesConsumed);
          if (waitMs === undefined) return false;
          await sleep(waitMs, signal);
          return true;
        },
        ...(signal ? { signal } : {}),
      },
    ).catch((err: unknown) => {
      throw signal?.aborted ? new RequestCancelledError(method, shown) : err;
    });
  }

  /**
   * How long to wait before retry number `retry` (0 for the first), or
   * undefined not to retry: the backoff, or the server's Retry-After when that
   * is longer; never both added up.
   */
  private waitBeforeRetry(method: Method, error: Error, retry: number): number | undefined {
    if (!this.isRetryable(method, error)) return undefined;
    const backoff = backoffMs(retry, this.backoff);
    if (!(error instanceof RetryableHttpError) || error.retryAfterMs === undefined) return backoff;
    if (error.retryAfterMs > this.options.maxRetryAfterMs) return undefined;
    return Math.max(error.retryAfterMs, backoff);
  }

  private isRetryableStatus(method: Method, status: number): boolean {
    if (status === 429 || status === 503) return true;
    return method === "GET" && status >= 500;
  }

  private isRetryable(method: Method, error: Error): boolean {
    if (error instanceof RetryableHttpError) return true;
    if (error instanceof NetworkError) return method === "GET" || NOT_SENT.has(errorCode(error.cause) ?? "");
    return false;
  }

  private trace(method: string, url: string, status: number | "error", started: number, attempt: number): void {
    this.options.onExchange?.({ method, url, status, durationMs: performance.now() - started, attempt });
  }
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
function serverMessage(body: unknown): string {
  if (body && typeof body === "object" && typeof (body as { error?: unknown }).error === "string") {
    return (body as { error: string }).error;
  }
  if (typeof body === "string") return body.slice(0, 500);
  return "";
}

function toNetworkError(method: string, url: string, err: unknown): NetworkError {
  if (err instanceof TimeoutError) return new NetworkError(method, url, "timed out", { cause: err });
  const cause = (err as { cause?: unknown }).cause ?? err;
  const code = errorCode(cause);
  const reason = code ?? (cause instanceof Error ? cause.message : String(cause));
  return new NetworkError(method, url, reason, { cause });
}

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
