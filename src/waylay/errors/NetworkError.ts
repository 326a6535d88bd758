import { escaped } from "../../text/escape.js";
import { shortenUrl } from "../../text/shorten-url.js";
import type { NetworkFailureKind } from "../network-failure.js";
import { WaylayError } from "./WaylayError.js";

/** No answer: connection refused or reset, DNS failure, or a timeout. */
export class NetworkError extends WaylayError {
  override name = "NetworkError";
  constructor(
    method: string,
    url: string,
    readonly reason: string,
    options?: ErrorOptions & { kind?: NetworkFailureKind },
  ) {
    super(`${method} ${escaped(shortenUrl(url))} failed: ${escaped(reason)}`, method, url, options);
    this.kind = options?.kind ?? "other";
  }

  /** Whether retrying could help: see network-failure.ts. */
  readonly kind: NetworkFailureKind;
}
