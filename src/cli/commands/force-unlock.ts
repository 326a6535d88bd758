/** `decom force-unlock`: remove a state lock whose holder is gone. */
import { forceUnlock } from "../../operations/force-unlock.js";
import { ForceUnlockHumanView } from "../../views/commands/force-unlock-view.js";
import { FILE_OPTIONS, HELP_OPTION, parseCommandArgs } from "../args.js";
import { outputOf, type Io } from "../io.js";

export const help = `Usage: decom force-unlock [-f decom.yaml] [--state FILE]

Removes <state>.lock, left behind by a decom that was killed. It refuses while
the process that took the lock is still running on this machine. A lock taken
on another machine cannot be checked from here: make sure that decom is gone.

Options:
  -f, --manifest FILE     manifest whose state is locked (default: decom.yaml)
      --state FILE        state file (default: X.state.json beside manifest X.yaml)

Examples:
  decom force-unlock
  decom force-unlock --state prod/decom.state.json
`;

export const options = { ...FILE_OPTIONS, ...HELP_OPTION } as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("force-unlock", args, options, 0);
  const result = forceUnlock({ manifest: values.manifest, state: values.state, cwd: io.cwd, ...(io.disk ? { disk: io.disk } : {}) });
  const view = new ForceUnlockHumanView(outputOf(io));
  if (result.removed) view.removed(result.lock, result.content);
  else view.noLock(result.lock);
  return 0;
}
