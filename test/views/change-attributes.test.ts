/** What each deletion's id is, in the text and markdown views: compact, escaped, bounded. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EXPLICIT_ENTRY } from "../../src/manifest/model.js";
import type { Change } from "../../src/plan/model.js";
import { attributesText, deletionsByType, NAME_SHOWN } from "../../src/views/change-attributes.js";
import { palette } from "../../src/views/colour.js";
import { renderPlanMarkdown } from "../../src/views/plan-markdown.js";
import { renderPlanText } from "../../src/views/plan-text.js";
import { handMadePlan } from "../helpers/plan.js";

const test = suite("views: what each id is");

const deletion = (id: string, attributes: Partial<Change> = {}): Change => ({
  kind: "resource",
  id,
  action: "delete",
  reason: { code: "in-manifest" },
  entry: EXPLICIT_ENTRY,
  cascade: [],
  ...attributes,
});

test("name, type and parent, each quoted, and only those the tenant gave", () => {
  assert.is(
    attributesText(deletion("t-42", { name: "Kitchen thermostat", resourceTypeId: "legacy-thermostat", parentId: "gw-7" })),
    'name "Kitchen thermostat", type "legacy-thermostat", parent "gw-7"',
  );
  assert.is(attributesText(deletion("t-43", { resourceTypeId: "legacy-thermostat" })), 'type "legacy-thermostat"');
  assert.is(attributesText(deletion("bare")), "");
});

test("a hostile name is escaped, and a long one cut with the cut outside its quotes", () => {
  assert.is(attributesText(deletion("x", { name: 'a"\r\n\u001b[2K\u202eb' })), String.raw`name "a\"\r\n\u001b[2K\u202eb"`);
  const long = "é".repeat(NAME_SHOWN) + "🙂".repeat(500);
  const shown = attributesText(deletion("x", { name: long }));
  assert.is(shown, `name "${"é".repeat(NAME_SHOWN)}"…`);
  assert.is(attributesText(deletion("x", { name: "🙂".repeat(NAME_SHOWN) })), `name "${"🙂".repeat(NAME_SHOWN)}"`, "cut by code point");
});

test("deletions are counted per type, most first, resources without a type last", () => {
  const changes = [
    deletion("a", { resourceTypeId: "meter" }),
    deletion("b"),
    deletion("c", { resourceTypeId: "thermo" }),
    deletion("d", { resourceTypeId: "thermo" }),
    { ...deletion("e", { resourceTypeId: "ignored" }), action: "absent" as const, reason: { code: "not-found" as const } },
  ];
  assert.equal(deletionsByType(changes), [
    ["thermo", 2],
    ["meter", 1],
    [undefined, 1],
  ]);
});

test("the text view puts them on the change's line, one line per change whatever the name holds", () => {
  const plan = handMadePlan({
    changes: [deletion("t-42", { name: "Line\nbreak\u2028sep", resourceTypeId: "legacy", parentId: "gw-7" }), deletion("bare")],
    waves: [],
  });
  const text = renderPlanText(plan, palette(false));
  assert.match(text, String.raw`- resource "t-42"  name "Line\nbreak\u2028sep", type "legacy", parent "gw-7"; no cascade` + "\n");
  assert.match(text, /- resource "bare" {2}no cascade\n/);
});

test("the markdown counts per type stay within their share of the comment when every resource has its own type", () => {
  const changes = Array.from({ length: 10_040 }, (_, i) =>
    deletion(`device-${String(i).padStart(5, "0")}`, { resourceTypeId: `type-with-a-long-name-${String(i).padStart(5, "0")}` }),
  );
  const md = renderPlanMarkdown(handMadePlan({ changes, waves: [] }), "plan.json");
  assert.ok(md.length < 65_536, `${md.length} characters`);
  const line = md.split("\n").find((l) => l.startsWith("Deletions by resource type: ")) ?? "";
  assert.ok(line.length <= (65_536 - 1_536) / 16, `${line.length} characters`);
  assert.match(
    line,
    /^Deletions by resource type: 1 × `"type-with-a-long-name-00000"`, .* and [\d,]+ more resources of [\d,]+ more types$/,
  );
});

test.run();
