import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { showPayload } from "./payload.ts";

Deno.test("payload - invisible and reordering characters are shown as escapes", () => {
  const shown = showPayload(
    '{"a":"x\u202Egnp.exe","b":"\u0000\u200B","c":"1\n2\t3"}',
  );
  assertEquals(
    shown.text,
    '{"a":"x\\u{202e}gnp.exe","b":"\\u{0000}\\u{200b}","c":"1⏎2⇥3"}',
  );
  assertEquals(shown.truncated, false);
});

Deno.test("payload - a long payload is cut on whole code points and says so", () => {
  const raw = "😀".repeat(300);
  const shown = showPayload(raw, 240);
  assertEquals([...shown.text].length, 240);
  ok(!/[\ud800-\udbff]$/.test(shown.text), "no half surrogate at the end");
  assertEquals([shown.length, shown.truncated], [300, true]);
});

Deno.test("payload - markup stays text to be escaped by the page", () => {
  assertEquals(
    showPayload("<script>alert(1)</script>").text,
    "<script>alert(1)</script>",
  );
});
