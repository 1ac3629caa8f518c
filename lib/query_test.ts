import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { rowId, wholeNumber } from "./query.ts";

Deno.test("query - a row id is a positive whole number of at most 18 digits, else one sentence naming it", () => {
  assertEquals(rowId("alert", "42"), 42);
  assertEquals(rowId("alert", "999999999999999999"), 999999999999999999);
  for (
    const bad of ["0", "-1", "1e3", "0x10", " 5", "12a", "", "1".repeat(19)]
  ) {
    throws(
      () => rowId("alert", bad),
      (e: Error) =>
        e instanceof RangeError &&
        /^Cannot read alert id ".*": expected a positive whole number$/.test(
          e.message,
        ),
      bad,
    );
  }
  throws(() => rowId("alert", "x".repeat(500)), /"x{40}…"/);
});

Deno.test("query - a whole number is plain decimal digits within its range", () => {
  assertEquals(wholeNumber("hours", "24", { min: 1, max: 48 }), 24);
  throws(() => wholeNumber("hours", "1e2", { min: 1, max: 500 }), RangeError);
});
