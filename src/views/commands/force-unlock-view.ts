/** What `decom force-unlock` shows: which lock it removed and whose it was, or that there was none. */
import { describeHolder, type LockContent } from "../../state/lock.js";
import type { Output } from "../output.js";

export class ForceUnlockHumanView {
  constructor(private readonly out: Output) {}

  noLock(lock: string): void {
    this.out.stdout(`No lock to remove: ${lock} does not exist.\n`);
  }

  removed(lock: string, content: LockContent): void {
    const what =
      "holder" in content
        ? `, taken by ${describeHolder(content.holder)}`
        : "foreign" in content
          ? `, which was not a lock decom wrote (${content.foreign})`
          : "";
    this.out.stdout(`Removed ${lock}${what}.\n`);
  }
}
