/**
 * A home folder of its own for every decom a test starts, so that no test can
 * read the developer's Waylay SDK profiles, or send their credentials anywhere.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TemporaryHome {
  /** HOME and XDG_CONFIG_HOME, to put in the environment decom is given. */
  env: { HOME: string; XDG_CONFIG_HOME: string };
  remove(): void;
}

export function temporaryHome(): TemporaryHome {
  const home = mkdtempSync(join(tmpdir(), "decom-home-"));
  return { env: { HOME: home, XDG_CONFIG_HOME: join(home, ".config") }, remove: () => rmSync(home, { recursive: true, force: true }) };
}
