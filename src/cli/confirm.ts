/** Terraform's approval question: only the exact answer `yes` proceeds. */
import { createInterface } from "node:readline";
import type { Io } from "./io.js";

export async function confirmApply(io: Io, cancel?: AbortSignal): Promise<boolean> {
  io.stdout.write(
    "\nDo you want to perform these actions?\n" +
      "  decom will delete what the plan above lists. This cannot be undone.\n" +
      "  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
  );
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
