import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  canonicalTimestamp,
  DEFAULT_TIME_LIMITS,
  timestampProblem,
} from "./timestamp.ts";

Deno.test("timestamp - the fast path takes exactly the round-trip form and agrees with the full check", () => {
  const now = Date.parse("2026-11-26T00:00:00.000Z");
  const cases = [
    "2024-02-29T23:59:59.999Z",
    "2024-02-30T00:00:00.000Z",
    "2023-02-29T12:00:00.000Z",
    "2024-01-01T24:00:00.000Z",
    "2024-01-01T12:00:00Z",
    "2024-01-01T12:00:00.000+00:00",
    "2024-13-01T00:00:00.000Z",
    "2026-11-26T00:00:00.000Z",
  ];
  for (const v of cases) {
    const fast = canonicalTimestamp(v);
    if (fast !== null) {
      assertEquals(new Date(fast).toISOString(), v);
      assertEquals(timestampProblem(v, now, DEFAULT_TIME_LIMITS), null, v);
    }
  }
  assertEquals(
    cases.map((v) => canonicalTimestamp(v) !== null),
    [true, false, false, false, false, false, false, true],
  );
});
