import { escaped } from "../../text/escape.js";
import { WaylayError } from "./WaylayError.js";

/** No answer: connection refused or reset, DNS failure, or a timeout. */
export class NetworkError extends WaylayError {
  override name = "NetworkError";
  constructor(
    method: string,
    url: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${method} ${escaped(url)} failed: ${escaped(reason)}`, method, url, options);
  }
}
