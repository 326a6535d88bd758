import { WaylayError } from "./WaylayError.js";

/** decom cancelled the request itself (a second Ctrl-C, or the command ended): the server may or may not have seen it. */
export class RequestCancelledError extends WaylayError {
  override name = "RequestCancelledError";
  constructor(method: string, url: string) {
    super(`${method} ${url} was cancelled`, method, url);
  }
}
