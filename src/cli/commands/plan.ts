/** `decom plan`: compare the manifest with the state and the tenant; print, and optionally save, the plan. */
import { resolve } from "node:path";
import { hasChanges, isBlocked } from "../../plan/model.js";
import { writePlanFile } from "../../plan/planfile.js";
import { HELP_OPTION, parseCommandArgs, positiveInt, TENANT_OPTIONS, TIMEOUT_HELP, TIMEOUT_OPTIONS, timeouts } from "../args.js";
import { DEFAULT_BATCH_SIZE, DEFAULT_PARALLELISM } from "../context.js";
import { useColour, type Io } from "../io.js";
import { aborted, INTERRUPTED, lockAndOpenState, planAgainstTenant, readLocalInputs, resumeInterrupted } from "../planning.js";
import { palette } from "../views/colour.js";
import { planTextPieces } from "../views/plan-text.js";

export const help = `Usage: decom plan [options]

Compares the manifest with the state file and the live tenant, and shows what
apply would do. Nothing is deleted. If an earlier apply was interrupted, its
batches in flight are first followed to their end and recorded in the state.

Options:
  -f, --manifest FILE     manifest to read (default: decom.yaml)
      --state FILE        state file (default: decom.state.json beside the manifest)
      --out FILE          save the plan, for review and for "decom apply FILE"
      --detailed-exitcode exit 0 when there are no changes, 2 when there are, 1 on error
      --endpoint URL      Waylay gateway (default: $WAYLAY_GATEWAY_URL, else https://api.waylay.io)
      --batch-size N      ids per batch request (default: ${DEFAULT_BATCH_SIZE})
      --target ID         plan only this id and what it depends on (repeatable;
                          resource:ID or resourceType:ID when an id is both)
${TIMEOUT_HELP}
      --no-color          no colour, even on a terminal

Examples:
  decom plan
  decom plan -f retire-2026-q4.yaml --out plan.json
  decom plan --target gw-namur-01 --out plan.json

A plan that would fail or do harm (children or resources of a type left
outside it, protected ids, more deletions than guard.maxDeletes) is blocked:
it exits 1 and sends nothing. With --out it is still saved, so a pull request
can show why; apply refuses it.
`;

const options = {
  ...TENANT_OPTIONS,
  ...TIMEOUT_OPTIONS,
  out: { type: "string" },
  "detailed-exitcode": { type: "boolean" },
  "batch-size": { type: "string" },
  target: { type: "string", multiple: true },
  ...HELP_OPTION,
} as const;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs("plan", args, options, 0);
  const batchSize = positiveInt("plan", "--batch-size", values["batch-size"], DEFAULT_BATCH_SIZE);
  const limits = timeouts("plan", values);
  const inputs = readLocalInputs(io, values, limits.requestTimeoutMs);
  const interrupts = io.interrupts?.();
  const { session, release } = lockAndOpenState(io, inputs, "decom plan");
  try {
    const work = (async () => {
      await resumeInterrupted(io, inputs, session, {
        parallelism: DEFAULT_PARALLELISM,
        now: () => new Date(),
        ...limits,
        halt: interrupts?.stop,
      });
      return planAgainstTenant(inputs, session, batchSize, values.target ?? []);
    })();
    const plan = await Promise.race([work, aborted(interrupts?.stop)]);
    if (plan === INTERRUPTED) {
      work.catch(() => {});
      session.compact();
      io.stderr.write("Interrupted: nothing was planned. Anything recovered so far is in the state.\n");
      return 130;
    }
    for (const piece of planTextPieces(plan, palette(useColour(io, values["no-color"])))) io.stdout.write(piece);
    if (values.out !== undefined) {
      writePlanFile(resolve(io.cwd, values.out), plan, io.disk);
      io.stdout.write(
        isBlocked(plan)
          ? `\nSaved the blocked plan to ${values.out}, so reviewers can see why; decom apply refuses it.\n`
          : `\nSaved the plan to ${values.out}. Apply exactly this plan with: decom apply ${values.out}\n`,
      );
    }
    if (isBlocked(plan)) return 1;
    return values["detailed-exitcode"] && hasChanges(plan) ? 2 : 0;
  } finally {
    release();
  }
}
