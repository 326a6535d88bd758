import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { archivePathFor } from "../../src/archive/model.js";
import { readArchive } from "../../src/archive/read.js";
import { ArchiveWriter } from "../../src/archive/writer.js";
import { DecomError } from "../../src/diagnostics.js";
import { canonicalJsonLine } from "../../src/files/canonical-json.js";
import { localDisk } from "../../src/files/disk.js";
import { assertValid } from "../helpers/schemas.js";

const test = suite<{ dir: string; path: string }>("archive: reading and appending", { dir: "", path: "" });
test.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), "decom-archive-"));
  ctx.path = join(ctx.dir, "decom.archive.jsonl");
});
test.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const at = { apply: 1, seq: 0, time: "2026-12-01T12:00:00.000Z" };
const doc = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `n-${id}`,
  metadata: { nested: [1, { b: 2, a: 1 }] },
  ...extra,
});

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DecomError) return err.message;
    throw err;
  }
  throw new Error("expected a refusal");
}

test("beside X.state.json it is X.archive.jsonl", () => {
  assert.is(archivePathFor("/a/decom.state.json"), "/a/decom.archive.jsonl");
  assert.is(archivePathFor("/a/b.state.json"), "/a/b.archive.jsonl");
  assert.is(archivePathFor("/a/odd.json"), "/a/odd.archive.jsonl");
  assert.is(archivePathFor("/a/state"), "/a/state.archive.jsonl");
});

test("one canonical line per document, valid against the schema, read back with every field", ({ path }) => {
  const writer = ArchiveWriter.open(localDisk, path, "decom.archive.jsonl");
  assert.is(writer.archive("resource", [doc("a"), doc("__proto__")], at), 2);
  writer.close();
  const lines = readFileSync(path, "utf8").split("\n");
  assert.is(lines.length, 3);
  assert.is(lines[2], "");
  assert.is(
    lines[0],
    '{"archived":{"apply":1,"document":{"id":"a","metadata":{"nested":[1,{"a":1,"b":2}]},"name":"n-a"},' +
      '"id":"a","kind":"resource","seq":0,"time":"2026-12-01T12:00:00.000Z"}}',
  );
  for (const line of lines.slice(0, 2)) assertValid("archive", JSON.parse(line), "an archive line");
  const archive = readArchive(localDisk, path, "decom.archive.jsonl", { documents: true });
  assert.equal(
    archive.entries.resource.get("__proto__")?.document,
    JSON.parse('{"id":"__proto__","name":"n-__proto__","metadata":{"nested":[1,{"a":1,"b":2}]}}'),
  );
  assert.is(archive.entries.resource.get("a")?.line, 1);
  assert.is(archive.entries.resourceType.size, 0);
});

test("each line is exactly the canonical JSON of its record, whatever the document holds", ({ path }) => {
  const documents = [
    JSON.parse('{"z":1,"id":"é\\u2028\\"q","__proto__":{"b":[2,{"y":1,"x":0}]},"a":null}'),
    { id: "plain" },
    { id: "n", nested: { deep: { deeper: ["x", 1.5, true, { k: "v", a: "b" }] } }, tags: [] },
  ];
  const writer = ArchiveWriter.open(localDisk, path, "a");
  writer.archive("resourceType", documents, { seq: 7, time: at.time });
  writer.archive("resource", [{ id: "with-apply" }], at);
  writer.close();
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  const records = [
    ...documents.map((document) => ({ archived: { kind: "resourceType", id: document.id, document, seq: 7, time: at.time } })),
    { archived: { kind: "resource", id: "with-apply", document: { id: "with-apply" }, ...at } },
  ];
  assert.equal(
    lines,
    records.map((r) => canonicalJsonLine(r)),
  );
});

test("the same document is not archived twice, a changed or restored one is", ({ path }) => {
  let writer = ArchiveWriter.open(localDisk, path, "a");
  writer.archive("resource", [doc("a"), doc("b")], at);
  writer.close();
  writer = ArchiveWriter.open(localDisk, path, "a");
  assert.is(writer.archive("resource", [doc("a"), doc("b", { name: "changed" })], { ...at, seq: 1 }), 1);
  writer.restored("resource", ["a"], at.time);
  assert.is(writer.archive("resource", [doc("a")], { ...at, seq: 2 }), 1);
  writer.close();
  const archive = readArchive(localDisk, path, "a", { documents: true });
  assert.is(readFileSync(path, "utf8").trimEnd().split("\n").length, 5);
  assert.equal(archive.entries.resource.get("b")?.document?.name, "changed");
  assert.is(archive.entries.resource.get("a")?.line, 5);
  assert.is(archive.entries.resource.get("a")?.restored, undefined);
});

test("a torn last line is ignored on read and cut before the next append", ({ path }) => {
  const writer = ArchiveWriter.open(localDisk, path, "a");
  writer.archive("resource", [doc("a")], at);
  writer.close();
  appendFileSync(path, '{"archived":{"kind":"resource","id":"b","docu');
  assert.equal([...readArchive(localDisk, path, "a", { documents: false }).entries.resource.keys()], ["a"]);
  const again = ArchiveWriter.open(localDisk, path, "a");
  again.archive("resource", [doc("c")], at);
  again.close();
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  assert.equal(
    lines.map((l) => JSON.parse(l).archived.id),
    ["a", "c"],
  );
});

test("a whole last line without its newline is kept, and the newline added before appending", ({ path }) => {
  const writer = ArchiveWriter.open(localDisk, path, "a");
  writer.archive("resource", [doc("a")], at);
  writer.close();
  writeFileSync(path, readFileSync(path, "utf8").trimEnd());
  const again = ArchiveWriter.open(localDisk, path, "a");
  assert.ok(again.entry("resource", "a"));
  again.archive("resource", [doc("b")], at);
  again.close();
  assert.equal(
    readFileSync(path, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l).archived.id),
    ["a", "b"],
  );
});

test("a line that is not one is refused with the file, line and field, and the file is left as it was", ({ path }) => {
  const writer = ArchiveWriter.open(localDisk, path, "a");
  writer.archive("resource", [doc("a")], at);
  writer.close();
  const good = readFileSync(path, "utf8");
  const cases: [string, string][] = [
    ["not json\n", "x.jsonl:2: not an archive line (not JSON)"],
    [
      '{"archived":{"kind":"resource","id":"b","document":{"id":"b"},"seq":-1,"time":"t"}}\n',
      "x.jsonl:2: not an archive line (archived.seq <- must be >= 0",
    ],
    [
      '{"archived":{"kind":"resource","id":"b","document":{"id":"c"},"seq":1,"time":"2026-12-01T12:00:00Z"}}\n',
      'archived.document.id is "c", but the line is for "b"',
    ],
    ['{"deleted":{}}\n', 'unknown line kind "deleted"'],
    ["[]\n", "expected an object with one of archived, restored"],
  ];
  for (const [line, expected] of cases) {
    writeFileSync(path, good + line + good);
    const message = refusal(() => ArchiveWriter.open(localDisk, path, "x.jsonl"));
    assert.ok(message.includes(expected), message);
    assert.ok(message.includes("the archive was not modified"), message);
    assert.is(readFileSync(path, "utf8"), good + line + good);
  }
});

test("a last line without its newline is cut only if it is a line decom began to write", ({ path }) => {
  const writer = ArchiveWriter.open(localDisk, path, "a");
  writer.archive("resource", [doc("a")], at);
  writer.close();
  const good = readFileSync(path, "utf8");
  const refused: [string, string][] = [
    // Whole JSON, not a line: a hand edit, never cut.
    [
      '{"archived":{"kind":"resource","id":"zz","document":{"id":"zz","name":"IMPORTANT"},"time":"2026-12-01T12:00:00Z"}}',
      "x.jsonl:2: not an archive line (archived <- must have required property 'seq')",
    ],
    ["my notes, do not delete", "x.jsonl:2: not an archive line (not JSON)"],
  ];
  for (const [tail, expected] of refused) {
    writeFileSync(path, good + tail);
    const message = refusal(() => ArchiveWriter.open(localDisk, path, "x.jsonl"));
    assert.ok(message.includes(expected), message);
    assert.is(readFileSync(path, "utf8"), good + tail);
  }
});

test("read in pieces, lines across the pieces' edges are whole; a byte order mark is not part of the first line", ({ path }) => {
  const writer = ArchiveWriter.open(localDisk, path, "a");
  writer.archive(
    "resource",
    Array.from({ length: 20 }, (_, i) => doc(`d-${i}`)),
    at,
  );
  writer.close();
  writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(path)]));
  const smallPieces = { ...localDisk, readPieces: (p: string) => localDisk.readPieces(p, 7) };
  const archive = readArchive(smallPieces, path, "a", { documents: true });
  assert.is(archive.entries.resource.size, 20);
  assert.equal(archive.entries.resource.get("d-19")?.document, doc("d-19"));
  assert.is(archive.lines, 20);
});

test("only the ids asked for are kept, every line is still checked", ({ path }) => {
  const writer = ArchiveWriter.open(localDisk, path, "a");
  writer.archive("resource", [doc("a"), doc("b")], at);
  writer.close();
  const archive = readArchive(localDisk, path, "a", { documents: false, keep: (_kind, id) => id === "b" });
  assert.equal([...archive.entries.resource.keys()], ["b"]);
});

test("a writer does not cut or append after lines someone else added since it read the archive", ({ path }) => {
  const first = ArchiveWriter.open(localDisk, path, "a");
  first.archive("resource", [doc("a")], at);
  first.close();
  appendFileSync(path, '{"archived":{"kind":"res');
  const writer = ArchiveWriter.open(localDisk, path, "x.jsonl");
  appendFileSync(path, 'ource"}}\n');
  const before = readFileSync(path, "utf8");
  const message = refusal(() => writer.archive("resource", [doc("b")], at));
  assert.ok(message.includes("x.jsonl changed since decom read it (another decom writing it?); nothing more was sent"), message);
  assert.is(readFileSync(path, "utf8"), before);
});

test("no file is an empty archive; a writer creates it only when it appends", ({ path }) => {
  assert.is(readArchive(localDisk, path, "a", { documents: false }).entries.resource.size, 0);
  const writer = ArchiveWriter.open(localDisk, path, "a");
  writer.archive("resource", [], at);
  writer.close();
  assert.not.ok(existsSync(path));
  const again = ArchiveWriter.open(localDisk, path, "a");
  again.archive("resource", [doc("a")], at);
  again.close();
  assert.is(readFileSync(path, "utf8").split("\n").length, 2);
});

test.run();
