/** The words for why an apply started no further wave (apply/events.ts HaltReason). */
import type { HaltReason } from "../apply/events.js";

export function haltReasonText(reason: HaltReason): string {
  switch (reason) {
    case "credentials-refused":
      return "the credentials were refused";
    case "interrupted":
      return "interrupted";
    case "batch-in-flight":
      return "a batch of the previous wave is still in flight";
    case "archive-failed":
      return "the documents of a batch could not be archived";
  }
}
