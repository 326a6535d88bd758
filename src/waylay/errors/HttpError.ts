import { WaylayError } from "./WaylayError.js";

/** The API answered with a status decom does not retry, or still failed after retries. */
export class HttpError extends WaylayError {
  override name = "HttpError";
  constructor(
    method: string,
    url: string,
    readonly status: number,
    /** The `error` text of the contract's ErrorResponse, or the raw body. */
    readonly serverMessage: string,
  ) {
    super(`${method} ${url} answered ${status}${serverMessage ? `: ${serverMessage}` : ""}`, method, url);
  }
}
