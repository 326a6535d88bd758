import { escaped } from "../../text/escape.js";
import { shortenUrl } from "../../text/shorten-url.js";
import { WaylayError } from "./WaylayError.js";

/** decom cancelled the request itself (a second Ctrl-C, or the command ended): the server may or may not have seen it. */
export class RequestCancelledError extends WaylayError {
  override name = "RequestCancelledError";
  constructor(method: string, url: string) {
    super(`${method} ${escaped(shortenUrl(url))} was cancelled`, method, url);
  }
}
