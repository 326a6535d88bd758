import { escaped } from "../../text/escape.js";
import { NetworkError } from "./NetworkError.js";

/**
 * The endpoint cannot be talked to as given, and retrying would not change
 * that: it does not speak TLS, DNS does not know its host, or nothing has ever
 * listened there during this run. The message names the endpoint, which is what
 * the user must fix, rather than the request that found out.
 */
export class EndpointError extends NetworkError {
  override name = "EndpointError";
  constructor(
    method: string,
    url: string,
    readonly endpoint: string,
    /** The whole sentence, e.g. `https://127.0.0.1:4567 does not speak TLS (is it plain http://?)`. */
    sentence: string,
    options: ErrorOptions & { kind: NetworkError["kind"]; reason: string },
  ) {
    super(method, url, options.reason, options);
    this.message = escaped(sentence);
  }
}
