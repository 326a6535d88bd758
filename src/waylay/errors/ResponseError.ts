import { escaped } from "../../text/escape.js";
import { shortenUrl } from "../../text/shorten-url.js";
import { WaylayError } from "./WaylayError.js";

/** The API answered, but not in the shape the official contract describes. */
export class ResponseError extends WaylayError {
  override name = "ResponseError";
  /** `problem` quotes what the server sent with `quoted`; what is left is escaped here. */
  constructor(method: string, url: string, problem: string) {
    super(`${method} ${escaped(shortenUrl(url))}: unexpected response: ${escaped(problem)}`, method, url);
  }
}
