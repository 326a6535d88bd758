/** Where the decom under test is: its source entry point, the loader that runs it, and what the build makes. */

/** `src/main.ts`, run through tsx: no build needed. */
export const SOURCE_MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
/** tsx's loader, for `node --import TSX_LOADER SOURCE_MAIN`. */
export const TSX_LOADER = new URL("../../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href;
/** What `npm run build` makes and `bin.decom` in package.json names: the executable users install. */
export const BUILT_MAIN = new URL("../../dist/decom.js", import.meta.url).pathname;
