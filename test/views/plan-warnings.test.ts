/** The words of plan-time warnings: one diagnostic per id not found (a few, then how many more), and the missing guard. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { planWarningDiagnostics } from "../../src/views/plan-warnings.js";

const test = suite("views: plan warnings");

const lines = (...args: Parameters<typeof planWarningDiagnostics>) => planWarningDiagnostics(...args).map(formatDiagnostic);

test("an id not found: where its entry is, escaped, and what decom does with it", () => {
  assert.equal(
    lines([
      {
        code: "not-found",
        manifest: "retire.yaml",
        count: 2,
        ids: [
          { kind: "resource", id: "dev-00002", source: { line: 6, column: 9 } },
          { kind: "resourceType", id: "x\u001b[2K", source: { line: 9, column: 9 } },
        ],
      },
    ]),
    [
      'warning: retire.yaml:6:9: resource "dev-00002" not found on the tenant, and not in the state: a typo? ' +
        "It is planned as already absent",
      'warning: retire.yaml:9:9: resourceType "x\\u001b[2K" not found on the tenant, and not in the state: a typo? ' +
        "It is planned as already absent",
    ],
  );
});

test("more ids than the sample: one more line says how many, rather than thousands of lines", () => {
  const ids = Array.from({ length: 10 }, (_, i) => ({ kind: "resource" as const, id: `g-${i}`, source: { line: i + 3, column: 9 } }));
  const said = lines([{ code: "not-found", manifest: "retire.yaml", count: 5010, ids }]);
  assert.is(said.length, 11);
  assert.is(
    said[10],
    "warning: … and 5,000 more ids named in retire.yaml not found on the tenant, and not in the state " +
      "(the plan lists them all, as already absent)",
  );
});

test("an id of a manifest built in memory: no position, the manifest named", () => {
  assert.equal(lines([{ code: "not-found", manifest: "m.yaml", count: 1, ids: [{ kind: "resource", id: "a" }] }]), [
    'warning: m.yaml: resource "a" not found on the tenant, and not in the state: a typo? It is planned as already absent',
  ]);
});

test("no guard: names guard.maxDeletes, says nothing limits the deletions, and how to add it", () => {
  const [d] = planWarningDiagnostics([{ code: "no-guard", manifest: "retire.yaml" }]);
  assert.is(d?.code, "manifest.no-guard");
  assert.is(
    d && formatDiagnostic(d),
    "warning: retire.yaml has no guard.maxDeletes: nothing limits how many deletions one plan may make; " +
      'add "guard: {maxDeletes: N}" to it, N the most one apply should delete',
  );
});

test.run();
