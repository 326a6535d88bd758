/**
 * The archive (issue 13 item 2): apply writes every document it deletes,
 * exactly as the tenant held it, before the batch that deletes it is sent, and
 * fetches them in bulk (one request per 100 ids). `--no-archive` turns it off;
 * a corrupt archive stops the apply before any request.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { EmulatedEntity } from "../../src/emulator/tenant.js";
import { applyKilledAfterFirst202 } from "../helpers/killed-apply.js";
import { decom, manifestYaml } from "../helpers/decom.js";
import { withEmulator } from "../helpers/emulator-suite.js";
import { assertValid } from "../helpers/schemas.js";
import { devices, world } from "../helpers/world.js";

const test = suite("e2e: the archive");

/** Devices with metadata worth comparing: nested objects, arrays, tags, a $ref, and hostile ids. */
function richFleet(n: number): EmulatedEntity[] {
  const fleet: EmulatedEntity[] = devices("dev", n, "legacy").map((d, i) => ({
    ...d,
    name: `Device ${i}`,
    tags: ["retired", `batch-${i % 3}`],
    location: { lat: 50.8 + i / 1000, lon: 4.3 },
    metadata: { install: { site: `site-${i % 5}`, floors: [1, 2, { roof: true }] }, notes: null },
    peer: { $ref: "/resources/keeper" },
  }));
  fleet.push({ id: "__proto__", resourceTypeId: "legacy", name: "proto" }, { id: "a,b(c)'\"", resourceTypeId: "legacy" });
  return fleet;
}

interface ArchivedLine {
  archived: { kind: string; id: string; document: Record<string, unknown>; apply?: number; seq: number; time: string };
}

function archiveLines(dir: string, name = "decom.archive.jsonl"): ArchivedLine[] {
  const text = readFileSync(join(dir, name), "utf8");
  assert.ok(text.endsWith("\n"));
  return text
    .trimEnd()
    .split("\n")
    .map((line) => {
      const record = JSON.parse(line);
      assertValid("archive", record, line.slice(0, 80));
      return record as ArchivedLine;
    });
}

test("every deleted document is archived as the tenant held it, before its batch, in ⌈N/100⌉ requests per kind", async () => {
  const fleet = [...richFleet(250), { id: "keeper", resourceTypeId: "other" }];
  const deleted = fleet.filter((d) => d.id !== "keeper");
  const before = new Map<string, unknown>();
  const archivedAtPost: string[] = [];
  let dir = "";
  const options = {
    seed: world(fleet),
    onBatchAccepted: (batch: { body: { query: { ids: string[] } } }) => {
      // Read the file as it is when the POST arrives: each id of the batch must be in it already.
      const archived = new Set(archiveLines(dir).map((l) => l.archived.id));
      for (const id of batch.body.query.ids) if (!archived.has(id)) archivedAtPost.push(id);
    },
  };
  return withEmulator(
    options,
    {
      "decom.yaml": manifestYaml(
        deleted.map((d) => d.id),
        ["legacy"],
      ),
    },
    async (ctx) => {
      dir = ctx.dir;
      for (const [id, entity] of ctx.emulator.tenant.resources) before.set(id, structuredClone(entity));
      const typeBefore = structuredClone(ctx.emulator.tenant.resourceTypes.get("legacy"));
      const plan = await decom(["plan", "--out", "plan.json", "--batch-size", "50"], { cwd: dir, endpoint: ctx.emulator.url });
      assert.is(plan.code, 0, plan.stderr);
      const listingsBefore = documentFetches(ctx.emulator.requests);
      const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: ctx.emulator.url });
      assert.is(apply.code, 0, apply.stdout + apply.stderr);
      assert.match(apply.stdout, "Archived 253 documents to decom.archive.jsonl, each before any batch deleting it was sent");
      assert.equal(archivedAtPost, [], "ids whose document was not on disk when their batch was POSTed");
      const lines = archiveLines(dir);
      assert.is(lines.length, 253);
      const byId = new Map(lines.filter((l) => l.archived.kind === "resource").map((l) => [l.archived.id, l.archived]));
      assert.is(byId.size, 252);
      for (const d of deleted) assert.equal(byId.get(d.id)?.document, before.get(d.id), d.id);
      const type = lines.find((l) => l.archived.kind === "resourceType");
      assert.equal(type?.archived.document, typeBefore);
      assert.ok(lines.every((l) => l.archived.apply === 1));
      // 252 resources in 3 requests, 1 type in 1: ⌈N/100⌉ each.
      assert.equal(documentFetches(ctx.emulator.requests) - listingsBefore, 4);
    },
  );
});

/** Listing requests without `fields`: whole documents, which only the archive asks for. */
function documentFetches(requests: readonly { method: string; path: string; search: string }[]): number {
  return requests.filter(
    (r) => r.method === "GET" && r.path.startsWith("/resources/v1/resource") && !new URLSearchParams(r.search).has("fields"),
  ).length;
}

test("--no-archive writes no archive, fetches no document, and says the archive is off", async () => {
  const fleet = devices("dev", 30);
  return withEmulator({ seed: world(fleet) }, { "decom.yaml": manifestYaml(fleet.map((d) => d.id)) }, async ({ emulator, dir }) => {
    const apply = await decom(["apply", "--auto-approve", "--no-archive"], { cwd: dir, endpoint: emulator.url });
    assert.is(apply.code, 0, apply.stderr);
    assert.match(apply.stdout, "Archive off (--no-archive): the documents this apply deleted were not kept.");
    assert.not.ok(existsSync(join(dir, "decom.archive.jsonl")));
    assert.is(documentFetches(emulator.requests), 0);
  });
});

test("an apply that deletes nothing leaves no archive file", async () => {
  return withEmulator({ seed: world([]) }, { "decom.yaml": manifestYaml(["gone-1", "gone-2"]) }, async ({ emulator, dir }) => {
    const apply = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
    assert.is(apply.code, 0, apply.stderr);
    assert.match(apply.stdout, "Apply complete: 0 deleted, 2 absent, 0 failed.");
    assert.not.ok(existsSync(join(dir, "decom.archive.jsonl")));
  });
});

test("--json says where the archive is and how many documents it added", async () => {
  const fleet = devices("dev", 3);
  return withEmulator({ seed: world(fleet) }, { "decom.yaml": manifestYaml(fleet.map((d) => d.id)) }, async ({ emulator, dir }) => {
    const apply = await decom(["apply", "--auto-approve", "--json"], { cwd: dir, endpoint: emulator.url });
    assert.is(apply.code, 0, apply.stderr);
    const summary = JSON.parse(apply.stdout.trimEnd().split("\n").at(-1) as string);
    assertValid("events", summary);
    assert.equal([summary.archive, summary.archived], ["decom.archive.jsonl", 3]);
  });
});

test("a corrupt archive stops the apply before any request, naming the file and line; nothing is written", async () => {
  const fleet = devices("dev", 3);
  const files = { "decom.yaml": manifestYaml(fleet.map((d) => d.id)), "decom.archive.jsonl": '{"restored":{"kind":"resource"}}\n{}\n' };
  return withEmulator({ seed: world(fleet) }, files, async ({ emulator, dir }) => {
    const apply = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
    assert.is(apply.code, 1);
    assert.is(
      apply.stderr,
      "error: decom.archive.jsonl:1: not an archive line (restored <- must have required property 'id'; " +
        "restored <- must have required property 'time'); the archive was not modified and nothing was sent\n",
    );
    assert.is(emulator.requests.length, 0);
    assert.not.ok(existsSync(join(dir, "decom.state.json")));
    assert.is(readFileSync(join(dir, "decom.archive.jsonl"), "utf8"), files["decom.archive.jsonl"]);
  });
});

test("when documents cannot be fetched, their batch is not sent, nor any after it", async () => {
  const fleet = devices("dev", 30);
  return withEmulator({ seed: world(fleet) }, { "decom.yaml": manifestYaml(fleet.map((d) => d.id)) }, async ({ emulator, dir }) => {
    const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stderr);
    // A 400, which decom does not retry, for every request of whole documents.
    emulator.refuse = (r) => (r.method === "GET" && !new URLSearchParams(r.search).has("fields") ? 400 : undefined);
    const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(apply.code, 1, apply.stdout);
    assert.match(apply.stderr, "not archived: a batch of 30 ids was not sent, nor any after it: GET ");
    assert.not.match(apply.stderr, "error: error:");
    assert.not.match(apply.stderr, ": error: ");
    assert.match(apply.stdout, "30 ids not submitted");
    assert.match(apply.stdout, "Archived 0 documents to decom.archive.jsonl before archiving failed (see above).");
    assert.is(emulator.count("POST"), 0);
    assert.is(emulator.tenant.resources.size, 30);
  });
});

test("an id a listing leaves out is asked by its own URL: archived if it exists, never deleted unarchived", async () => {
  const fleet = devices("dev", 5, "legacy", { metadata: { keep: true } });
  return withEmulator({ seed: world(fleet) }, { "decom.yaml": manifestYaml(fleet.map((d) => d.id)) }, async ({ emulator, dir }) => {
    const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stderr);
    // Whole-document listings (no `fields`) lose dev-0003, as a lagging index would.
    emulator.hideFromListing = (id, params) => id === "dev-0003" && !params.has("fields");
    const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(apply.code, 0, apply.stdout + apply.stderr);
    const archived = new Map(archiveLines(dir).map((l) => [l.archived.id, l.archived.document]));
    assert.equal(
      [...archived.keys()].sort(),
      fleet.map((d) => d.id),
    );
    assert.equal(archived.get("dev-0003"), { id: "dev-0003", resourceTypeId: "legacy", metadata: { keep: true } });
    const single = emulator.requests.filter((r) => r.method === "GET" && r.path === "/resources/v1/resources/dev-0003");
    assert.equal(
      single.map((r) => r.search),
      ["?denormalized=false"],
    );
  });
});

test("documents are fetched ⌈R/100⌉ per kind across waves, not per wave", async () => {
  const parents = devices("p", 30, "legacy");
  const children = parents.flatMap((p, i) => devices(`c${i}`, 4, "legacy", { parentId: p.id }));
  const fleet = [...parents, ...children];
  return withEmulator({ seed: world(fleet) }, { "decom.yaml": manifestYaml(fleet.map((d) => d.id)) }, async ({ emulator, dir }) => {
    const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stderr);
    const before = documentFetches(emulator.requests);
    const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(apply.code, 0, apply.stdout + apply.stderr);
    assert.match(apply.stdout, "Wave 2/2");
    // 120 children in wave 1, 30 parents in wave 2: 2 requests, where chunks cut per wave would take 3.
    assert.is(documentFetches(emulator.requests) - before, 2);
    assert.is(archiveLines(dir).length, 150);
  });
});

test("a saved plan's documents are asked for while its selectors are matched again, not after", async () => {
  const fleet = devices("dev", 60, "legacy");
  const manifest = "version: 1\nresources:\n  - select:\n      resourceTypeId: legacy\n";
  // Pages of 10: matching the selector again at apply takes a first page, then five more.
  const options = { seed: world(fleet), maxPageSize: 10, faults: { latencyMs: 20 } };
  return withEmulator(options, { "decom.yaml": manifest }, async ({ emulator, dir }) => {
    const plan = await decom(["plan", "--out", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(plan.code, 0, plan.stderr);
    const from = emulator.requests.length;
    const apply = await decom(["apply", "plan.json"], { cwd: dir, endpoint: emulator.url });
    assert.is(apply.code, 0, apply.stdout + apply.stderr);
    const requests = emulator.requests.slice(from);
    const selectorPages = requests.flatMap((r, i) => (r.search.includes("resourceTypeId=legacy") ? [i] : []));
    const firstDocuments = requests.findIndex((r) => r.method === "GET" && !new URLSearchParams(r.search).has("fields"));
    assert.is(selectorPages.length, 6);
    assert.ok(firstDocuments >= 0 && firstDocuments < (selectorPages.at(-1) as number), "documents asked only once the match was done");
    assert.is(archiveLines(dir).length, 60);
  });
});

test("a named pipe at the archive's path is refused at once, before any request, naming it", async () => {
  const fleet = devices("dev", 3);
  return withEmulator({ seed: world(fleet) }, { "decom.yaml": manifestYaml(fleet.map((d) => d.id)) }, async ({ emulator, dir }) => {
    execFileSync("mkfifo", [join(dir, "decom.archive.jsonl")]);
    const apply = await decom(["apply", "--auto-approve"], { cwd: dir, endpoint: emulator.url });
    assert.is(apply.code, 1);
    assert.is(apply.stderr, "error: decom.archive.jsonl: it is not a regular file (a named pipe, a socket or a device)\n");
    assert.is(emulator.requests.length, 0);
    assert.not.ok(existsSync(join(dir, "decom.state.json.lock")));
  });
});

test("SIGKILLed 300 ms after its first 202 and run again: every deleted id is archived, exactly once", async () => {
  const fleet = devices("dev", 400, "legacy", { metadata: { site: "north" } });
  const ids = fleet.map((d) => d.id);
  let accepted = false;
  const options = { seed: world(fleet), timing: { startDelayMs: 10, perIdMs: 2 }, onBatchAccepted: () => (accepted = true) };
  return withEmulator(options, { "decom.yaml": manifestYaml(ids) }, async ({ emulator, dir }) => {
    await applyKilledAfterFirst202(dir, emulator.url, () => accepted);
    const goneAtKill = ids.filter((id) => !emulator.tenant.resources.has(id) || acceptedIds(emulator).has(id));
    assert.ok(goneAtKill.length > 0 && goneAtKill.length < 400, `ids taken before the kill: ${goneAtKill.length}`);
    const archivedAtKill = new Set(archiveLines(dir).map((l) => l.archived.id));
    for (const id of goneAtKill) assert.ok(archivedAtKill.has(id), `${id} was deleted but not archived`);

    assert.is((await decom(["force-unlock"], { cwd: dir })).code, 0);
    const again = await decom(["apply", "plan.json", "--unacknowledged-grace", "2s"], { cwd: dir, endpoint: emulator.url });
    assert.is(again.code, 0, again.stdout + again.stderr);
    for (const id of ids) assert.not.ok(emulator.tenant.resources.has(id), `${id} still exists`);
    const lines = archiveLines(dir);
    assert.equal(lines.map((l) => l.archived.id).sort(), [...ids].sort(), "each deleted id exactly once");
    for (const l of lines) assert.equal(l.archived.document, { id: l.archived.id, resourceTypeId: "legacy", metadata: { site: "north" } });
  });
});

function acceptedIds(emulator: { batches: { batches: Map<string, { body: { query: { ids: string[] } } }> } }): Set<string> {
  return new Set([...emulator.batches.batches.values()].flatMap((b) => b.body.query.ids));
}

test.run();
