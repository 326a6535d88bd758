import { WaylayError } from "./WaylayError.js";

/** The API answered, but not in the shape the official contract describes. */
export class ResponseError extends WaylayError {
  override name = "ResponseError";
  constructor(method: string, url: string, problem: string) {
    super(`${method} ${url}: unexpected response: ${problem}`, method, url);
  }
}
