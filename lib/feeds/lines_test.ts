import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { bodyEvents } from "./lines.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const read = (s: string) =>
  bodyEvents(enc.encode(s)).map((e) => [e.line, dec.decode(e.bytes)]);

Deno.test("ingest body - NDJSON keeps each line's number and bytes, skips blank lines, allows CRLF", () => {
  assertEquals(read('{"a":1}\r\n\n  \n{"b":2}\n{"c":3}'), [
    [1, '{"a":1}'],
    [4, '{"b":2}'],
    [5, '{"c":3}'],
  ]);
});

Deno.test("ingest body - a JSON array numbers its events from 1; a broken array is refused whole", () => {
  assertEquals(read(' [{"a":1}, 7, null]'), [[1, '{"a":1}'], [2, "7"], [
    3,
    "null",
  ]]);
  throws(() => read('[{"a":1},'), /Cannot read the body as a JSON array/);
});
