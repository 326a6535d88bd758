import { escaped } from "../../text/escape.js";
import { shortenUrl } from "../../text/shorten-url.js";
import { WaylayError } from "./WaylayError.js";

/** The API answered with a status decom does not retry, or still failed after retries. */
export class HttpError extends WaylayError {
  override name = "HttpError";
  constructor(
    method: string,
    url: string,
    readonly status: number,
    /** The `error` text of the contract's ErrorResponse, or the raw body, as sent (the message escapes it). */
    readonly serverMessage: string,
    /** What the user can do about it, when decom knows (`the endpoint has a path …`). */
    hint?: string,
  ) {
    // The server's words and a URL it may have chosen (Location) must not reach a terminal raw.
    super(
      `${method} ${escaped(shortenUrl(url))} answered ${status}` +
        `${serverMessage ? `: ${escaped(serverMessage)}` : ""}${hint ? `; ${escaped(hint)}` : ""}`,
      method,
      url,
    );
  }
}
