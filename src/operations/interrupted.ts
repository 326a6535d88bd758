/** Thrown by `plan` when its `stop` signal aborts it: nothing was planned (anything recovered is in the state). */
export class InterruptedError extends Error {
  override name = "InterruptedError";
  constructor(message = "interrupted") {
    super(message);
  }
}
