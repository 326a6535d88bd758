/** Base of every error about talking to the Waylay API. Messages never carry credentials. */
export class WaylayError extends Error {
  override name = "WaylayError";
  constructor(
    message: string,
    readonly method: string,
    readonly url: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
