/**
 * Which apply a re-run of a saved plan continues, and what is left of the plan
 * (src/plan/continue.ts), with the session that claims serials for an apply
 * (src/state/session.ts): a write that is not the latest apply's own makes it
 * no longer continuable.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ownApply, remainderOf } from "../../src/plan/continue.js";
import { emptyState, type State } from "../../src/state/model.js";
import { StateSession } from "../../src/state/session.js";
import { workspace } from "../helpers/decom.js";
import { planDeleting } from "../helpers/plan.js";

const test = suite("plan: continuing a saved plan's own apply");
const DIGEST = `sha256:${"1".repeat(64)}`;
const T = "2026-12-01T09:00:00.000Z";

function stateAfterPartialApply(): State {
  const state = emptyState(randomUUID(), "https://api.waylay.io");
  state.serial = 1;
  state.applies.push({ number: 1, plan: DIGEST, basedOn: 0, started: T, through: 1 });
  state.resource.set("a", { apply: 1, entry: "id", status: "deleted", time: T });
  state.resource.set("b", { apply: 1, entry: "id", status: "failed", error: "no", time: T });
  // "c" was deleted by an older apply: this one's outcome for it is still to come.
  state.resource.set("c", { entry: "id", status: "failed", time: T });
  return state;
}

test("the latest apply is the plan's own only with its digest, its basedOn, and nothing written since", () => {
  const plan = planDeleting(["a", "b", "c", "d"], 2);
  const state = stateAfterPartialApply();
  assert.is(ownApply(plan, DIGEST, state)?.number, 1);
  assert.is(ownApply(plan, `sha256:${"2".repeat(64)}`, state), undefined, "another plan");
  assert.is(ownApply(plan, DIGEST, null), undefined, "no state");
  assert.is(ownApply(plan, DIGEST, { ...state, serial: 2 }), undefined, "written since by something else");
  assert.is(ownApply({ ...plan, state: { lineage: state.lineage, serial: 1 } }, DIGEST, state), undefined, "made against another serial");
  const second = { ...state, applies: [{ number: 2, plan: DIGEST, basedOn: 0, started: T, through: 1 }] };
  assert.is(ownApply(plan, DIGEST, second), undefined, "a plan made before any state cannot be continued by a second apply");
});

test("what is left: the ids the apply recorded nothing for, in their batches and waves; its failures are counted", () => {
  const plan = planDeleting(["a", "b", "c", "d"], 2);
  const { plan: rest, deletions, failed } = remainderOf(plan, stateAfterPartialApply(), 1);
  assert.equal(
    rest.changes.map((c) => c.id),
    ["c", "d"],
  );
  assert.equal(
    rest.waves.map((w) => w.batches.map((b) => b.body.query.ids)),
    [[["c", "d"]]],
  );
  assert.equal([deletions, failed, rest.digest], [4, 1, undefined]);
});

test("a session claims the serial it writes for the latest apply only when everything it recorded is that apply's", () => {
  const { dir, remove } = workspace();
  const open = () => StateSession.open({ statePath: join(dir, "s.json"), shownAs: "s.json", endpoint: "http://x", newLineage: randomUUID });
  try {
    const first = open();
    first.beginApply({ plan: DIGEST, basedOn: 0, manifest: "decom.yaml", time: T });
    const seq = first.nextBatchSeq();
    first.append({ submit: { seq, kind: "resource", ids: { a: "id" }, time: T } });
    first.compact();
    assert.equal(first.state.applies, [{ number: 1, plan: DIGEST, basedOn: 0, started: T, through: 1 }]);
    assert.is(first.state.manifest, "decom.yaml");
    first.close();

    // A second apply begins while the first's batch is still in flight; finishing that batch is not its work.
    const second = open();
    assert.is(second.beginApply({ basedOn: 1, time: T }), 2);
    second.append({ finished: { seq: 0, time: T, deleted: ["a"], absent: [], failed: {} } });
    second.compact();
    assert.equal(second.state.applies[1], { number: 2, basedOn: 1, started: T, through: 1 }, "apply 2 did not claim serial 2");
    assert.equal(second.state.resource.get("a"), { apply: 1, entry: "id", status: "deleted", time: T }, "the outcome is apply 1's");
    second.close();
  } finally {
    remove();
  }
});

test("once something else wrote the state (a state rm), finishing the latest apply's batches does not make it current again", () => {
  const { dir, remove } = workspace();
  const open = () => StateSession.open({ statePath: join(dir, "s.json"), shownAs: "s.json", endpoint: "http://x", newLineage: randomUUID });
  try {
    const first = open();
    first.beginApply({ plan: DIGEST, basedOn: 0, time: T });
    first.append({ recorded: { kind: "resource", absent: { b: "id" }, forget: [], time: T } });
    first.append({ submit: { seq: first.nextBatchSeq(), kind: "resource", ids: { a: "id" }, time: T } });
    first.compact();
    first.close();
    const rm = open();
    rm.append({ removed: { kind: "resource", ids: ["b"], time: T } });
    rm.compact();
    rm.close();
    const recovery = open();
    recovery.append({ finished: { seq: 0, time: T, deleted: ["a"], absent: [], failed: {} } });
    recovery.compact();
    assert.equal([recovery.state.serial, recovery.state.applies[0]!.through], [3, 1], "apply 1 stays overtaken by the rm");
    recovery.close();
  } finally {
    remove();
  }
});

test.run();
