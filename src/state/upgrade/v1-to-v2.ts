/**
 * Version 1 → 2. Version 2 adds only optional facts: the manifest the state
 * belongs to (a version 1 state adopts the manifest of its next apply), the
 * applies, and on records the apply that wrote them and the outcomes they
 * replaced. None of these can be known for what version 1 recorded, so they
 * stay absent: the upgrade is the version number alone.
 */
import type { UpgradeStep } from "./index.js";

export const v1ToV2: UpgradeStep = (doc) => ({ ...doc, version: 2 });
