import { readFileSync } from "node:fs";

/**
 * Where decom's own files are. This module sits directly in the code's folder
 * (src/ under tsx, dist/ built, and so does the bundled dist/decom.mjs), one
 * level below the package root: every path to a file decom ships starts here,
 * so that it holds whether the code is bundled into one file or not.
 */
export const CODE_ROOT = new URL("./", import.meta.url);
export const PACKAGE_ROOT = new URL("../", import.meta.url);

/** decom's own version, from package.json. */
export const DECOM_VERSION: string = (JSON.parse(readFileSync(new URL("package.json", PACKAGE_ROOT), "utf8")) as { version: string })
  .version;
