/**
 * Version 1 → 2. Version 2 adds only optional facts: the manifest the state
 * belongs to (a version 1 state adopts the manifest of its next apply), the
 * applies, and on records the apply that wrote them and the outcomes they
 * replaced. None of these can be known for what version 1 recorded, so they
 * stay absent: the upgrade is the version number alone.
 */
import { DecomError, error } from "../../diagnostics.js";
import type { UpgradeStep } from "./index.js";

/** Fields version 2 added: a version 1 file holding one was not written by decom, and is not guessed at. */
const TOP_LEVEL = ["manifest", "applies"];
const PER_RECORD = ["apply", "history"];

export const v1ToV2: UpgradeStep = (doc, path) => {
  const added = TOP_LEVEL.find((field) => field in doc) ?? recordField(doc);
  if (added !== undefined) {
    throw new DecomError(
      error(
        "state.invalid",
        `${path}: not a valid state file: it says version 1 and holds ${added}, which only version 2 has. ` +
          "It was not modified; restore it from git if it was damaged.",
      ),
    );
  }
  return { ...doc, version: 2 };
};

function recordField(doc: { [field: string]: unknown }): string | undefined {
  for (const kind of ["resources", "resourceTypes", "inFlight"]) {
    const records = doc[kind];
    if (records === null || typeof records !== "object") continue;
    for (const record of Object.values(records)) {
      if (record === null || typeof record !== "object") continue;
      const field = PER_RECORD.find((f) => f in record);
      if (field !== undefined) return `"${field}" in ${kind}`;
    }
  }
  return undefined;
}
