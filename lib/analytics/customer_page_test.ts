import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import fc from "fast-check";
import { customerPage, type RfmReport } from "./mod.ts";
import {
  customerPageOf,
  DEFAULT_CUSTOMER_LIMIT,
  MAX_CUSTOMER_LIMIT,
} from "./params.ts";
import { SEGMENT_RULES } from "./rfm.ts";

const SEGMENTS = SEGMENT_RULES.map((r) => r.name);

/** A report whose customers are u0, u1, … in the given segments (scores unused here). */
function report(segments: readonly string[]): RfmReport {
  return {
    window: {} as RfmReport["window"],
    rules: [],
    segments: [],
    edges: {} as RfmReport["edges"],
    customers: segments.map((segment, i) => ({
      userId: `u${i}`,
      recencyDays: 1,
      orders: 1,
      revenue: 1,
      preferredDevice: null,
      segment,
      r: 3,
      f: 3,
      m: 3,
    })),
  };
}

Deno.test("customer pages - following next lists every customer of the segment once, in order", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 60 }),
      fc.option(fc.constantFrom(...SEGMENTS), { nil: undefined }),
      fc.integer({ min: 1, max: 25 }),
      (segments, segment, limit) => {
        const r = report(segments);
        const want = r.customers.filter((c) =>
          segment === undefined || c.segment === segment
        );
        const got: string[] = [];
        let offset: number | null = 0;
        while (offset !== null) {
          const p = customerPage(r, { segment, offset, limit });
          assertEquals(p.page.total, want.length);
          assertEquals(p.customers.length <= limit, true);
          got.push(...p.customers.map((c) => c.userId));
          offset = p.page.next;
        }
        assertEquals(got, want.map((c) => c.userId));
      },
    ),
  );
});

Deno.test("customer pages - a page past the end is empty and has no next", () => {
  const p = customerPage(report(["Lost", "Lost"]), {
    segment: undefined,
    offset: 5,
    limit: 10,
  });
  assertEquals(p.customers, []);
  assertEquals(p.page, {
    segment: null,
    offset: 5,
    limit: 10,
    total: 2,
    next: null,
  });
});

Deno.test("customer pages - the parameters default, and a bad one names itself", () => {
  const q = (o: Record<string, string>) => (n: string) => o[n];
  assertEquals(customerPageOf(q({})), {
    segment: undefined,
    offset: 0,
    limit: DEFAULT_CUSTOMER_LIMIT,
  });
  assertEquals(
    customerPageOf(
      q({ segment: "Lost", offset: "20", limit: "10" }),
    ),
    { segment: "Lost", offset: 20, limit: 10 },
  );
  throws(
    () => customerPageOf(q({ limit: String(MAX_CUSTOMER_LIMIT + 1) })),
    { name: "RangeError", message: /"limit" is "10001".*1 to 10000/ },
  );
  throws(() => customerPageOf(q({ limit: "0" })), /"limit"/);
  throws(() => customerPageOf(q({ offset: "-1" })), /"offset"/);
  throws(
    () => customerPageOf(q({ segment: "VIP" })),
    /Cannot list segment "VIP": expected one of "Champions"/,
  );
});
