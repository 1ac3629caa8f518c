import { deepStrictEqual as assertEquals } from "node:assert/strict";
import fc from "fast-check";
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

/** What the fast path must equal: `Date.parse` when printing it back gives `v` again. */
function roundTrip(v: string): number | null {
  const t = Date.parse(v);
  return t === t && new Date(t).toISOString() === v ? t : null;
}

Deno.test("timestamp - the fast path reads every toISOString() time of years 0000-9999 exactly", () => {
  // Date.UTC reads years 0-99 as 1900-1999: 0000-01-01 is set by hand.
  const lo = new Date(0).setUTCFullYear(0, 0, 1);
  fc.assert(
    fc.property(
      fc.integer({ min: lo, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }),
      (t) => {
        assertEquals(canonicalTimestamp(new Date(t).toISOString()), t);
      },
    ),
    { numRuns: 20_000 },
  );
});

Deno.test("timestamp - on any 24-character string the fast path agrees with the round trip", () => {
  const digit = fc.constantFrom(..."0123456789");
  const d = (n: number) =>
    fc.string({ unit: digit, minLength: n, maxLength: n });
  const near = fc.tuple(d(4), d(2), d(2), d(2), d(2), d(2), d(3)).map((
    [y, mo, dd, h, mi, s, ms],
  ) => `${y}-${mo}-${dd}T${h}:${mi}:${s}.${ms}Z`);
  const any = fc.string({ minLength: 24, maxLength: 24 });
  const mutated = fc.tuple(
    near,
    fc.nat(23),
    fc.string({ minLength: 1, maxLength: 1 }),
  )
    .map(([v, i, c]) => v.slice(0, i) + c + v.slice(i + 1));
  fc.assert(
    fc.property(fc.oneof(near, any, mutated), (v) => {
      assertEquals(canonicalTimestamp(v), roundTrip(v), v);
    }),
    { numRuns: 50_000 },
  );
});
