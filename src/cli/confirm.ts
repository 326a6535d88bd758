/** Terraform's approval question: only the exact answer `yes` proceeds. */
import { createInterface } from "node:readline";
import type { Io } from "./io.js";

export function confirmApply(io: Io, cancel?: AbortSignal): Promise<boolean> {
  return confirm(
    io,
    "Do you want to perform these actions?",
    "decom will delete what the plan above lists. This cannot be undone.",
    cancel,
  );
}

/** `question`, what saying yes does, and Terraform's words for the only answer that proceeds. */
export async function confirm(io: Io, question: string, consequence: string, cancel?: AbortSignal): Promise<boolean> {
  io.stdout.write(`\n${question}\n  ${consequence}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
  if (cancel?.aborted) return false;
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once("line", resolve);
      rl.once("close", () => resolve(""));
      cancel?.addEventListener("abort", () => resolve(""), { once: true });
    });
    io.stdout.write("\n");
    return answer.trim() === "yes";
  } finally {
    rl.close();
  }
}
