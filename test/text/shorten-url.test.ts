/** URLs quoted in --debug lines, errors and notices: one readable line, the query's end still shown. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { shortenUrl } from "../../src/text/shorten-url.js";

const test = suite("text: shortened URLs");

test("a URL up to 241 characters is kept whole; a longer one keeps its first and last 120, joined by an ellipsis", () => {
  const whole = `http://h/${"a".repeat(232)}`;
  assert.is(whole.length, 241);
  assert.is(shortenUrl(whole), whole);
  const long = `http://h/${"a".repeat(200)}${"b".repeat(200)}?last=1`;
  const short = shortenUrl(long);
  assert.is(short, `${long.slice(0, 120)}…${long.slice(-120)}`);
  assert.is(short.length, 241);
  assert.ok(short.endsWith("?last=1"));
});

test.run();
