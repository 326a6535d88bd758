/** How decom's schemas are compiled, at run time or ahead of it (standalone.ts): the same options either way. */
import type { Options } from "ajv";

// strictRequired is off only because a manifest entry is `oneOf` [required id] [required select],
// whose branches name properties declared beside them; every other strict check stays on.
const STRICT = { strict: true, strictRequired: false } as const;

/**
 * Two compilations of the same schemas: a lean one that stops at the first
 * error of each branch and copies no data into it (each change of a
 * 100,000-change plan tries every branch of a `oneOf`, and the full one made
 * verbose error objects for every keyword of every branch that failed: 200 MB of
 * garbage), asked first; and one that lists every error with its data, asked
 * only for a value the lean one refused, to say why.
 * Validity is the schema's either way.
 */
export const MODES = {
  lean: { ...STRICT },
  full: { ...STRICT, allErrors: true, verbose: true },
} as const satisfies Record<string, Options>;

export type Mode = keyof typeof MODES;
