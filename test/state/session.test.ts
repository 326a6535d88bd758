/** The session's journal stays readable whatever a crash left in it. */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseJournal } from "../../src/state/journal.js";
import { StateSession } from "../../src/state/session.js";
import { workspace } from "../helpers/decom.js";

const test = suite("state: session and journal");

const LINEAGE = "0b7c9a52-3c1e-4a8e-9d6f-2f1a7e5b4c3d";
const open = (dir: string) =>
  StateSession.open({
    statePath: join(dir, "decom.state.json"),
    shownAs: "decom.state.json",
    endpoint: "http://x",
    newLineage: randomUUID,
  });
const journalOf = (dir: string) => join(dir, "decom.state.json.journal");

test("a record appended after a torn last line starts a line of its own: the journal reads back whole", () => {
  const { dir, remove } = workspace();
  try {
    const submit = { submit: { seq: 0, kind: "resource", ids: { "dev-1": "id" }, time: "2026-01-01T00:00:00.000Z" } };
    writeFileSync(
      journalOf(dir),
      [JSON.stringify({ begin: { lineage: LINEAGE, serial: 0, inherited: 0 } }), JSON.stringify(submit), '{"finished":{"seq":0,"ti'].join(
        "\n",
      ),
    );
    const first = open(dir);
    first.append({ finished: { seq: 0, time: "2026-01-01T00:00:01.000Z", deleted: ["dev-1"], absent: [], failed: {} } });
    first.close(); // killed before compaction
    const records = parseJournal(readFileSync(journalOf(dir), "utf8"), "journal");
    assert.is(records.length, 3);
    assert.is(open(dir).state.resource.get("dev-1")?.status, "deleted");
  } finally {
    remove();
  }
});

test("a journal holding only a torn line is dropped, not appended to", () => {
  const { dir, remove } = workspace();
  try {
    writeFileSync(journalOf(dir), '{"begin":{"lin');
    const session = open(dir);
    assert.not.ok(existsSync(journalOf(dir)));
    session.append({ recorded: { kind: "resource", absent: { ghost: "id" }, forget: [], time: "2026-01-01T00:00:00.000Z" } });
    session.close();
    assert.is(parseJournal(readFileSync(journalOf(dir), "utf8"), "journal").length, 2);
  } finally {
    remove();
  }
});

test.run();
