import { readFileSync } from "node:fs";

/** decom's own version, from package.json (one level above both src/ and dist/). */
export const DECOM_VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
  .version;
