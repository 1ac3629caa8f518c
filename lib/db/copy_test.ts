import { deepStrictEqual as assertEquals } from "node:assert/strict";
import fc from "fast-check";
import { CopyLines } from "./copy.ts";

Deno.test("copy text - the bytes are the UTF-8 of the lines joined, whatever the capacity", () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: "binary", maxLength: 300 }), {
        maxLength: 40,
      }),
      fc.integer({ min: 0, max: 64 }),
      (lines, capacity) => {
        const text = new CopyLines(capacity);
        for (const l of lines) text.add(l);
        assertEquals(
          [...text.bytes()],
          [...new TextEncoder().encode(lines.join(""))],
        );
      },
    ),
    { numRuns: 2_000 },
  );
});
