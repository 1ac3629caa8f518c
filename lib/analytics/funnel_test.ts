import { deepStrictEqual as assertEquals } from "node:assert/strict";
import fc from "fast-check";
import {
  analyzeFunnel,
  funnelFromCounts,
  type FunnelSessions,
} from "./funnel.ts";

/** One session (a group of one); the id only labels it in the test. */
function session(
  _id: string,
  device: string,
  events: number,
  durationSeconds: number,
  eventTypes: string[],
  categoryEvents: Array<[string, string]> = [],
): FunnelSessions {
  return {
    device,
    eventTypes,
    categoryEvents,
    sessions: 1,
    events,
    durationSeconds,
  };
}

// Six sessions whose funnel is worked out by hand in the assertions below.
const SESSIONS = [
  session("s1", "mobile", 5, 300, [
    "page_view",
    "product_view",
    "add_to_cart",
    "purchase",
  ], [
    ["phones", "product_view"],
    ["phones", "add_to_cart"],
    ["phones", "purchase"],
  ]),
  session(
    "s2",
    "mobile",
    3,
    120,
    ["page_view", "product_view", "add_to_cart"],
    [
      ["phones", "product_view"],
      ["phones", "add_to_cart"],
    ],
  ),
  session("s3", "desktop", 2, 60, ["page_view", "product_view"], [[
    "laptops",
    "product_view",
  ]]),
  session("s4", "desktop", 1, 0, ["page_view"]),
  session("s5", "tablet", 2, 30, ["page_view"]),
  session("s6", "mobile", 3, 90, ["page_view", "product_view"], [
    ["laptops", "product_view"],
    ["phones", "product_view"],
  ]),
];

const counts = (f: ReturnType<typeof funnelFromCounts>) =>
  f.stages.map((s) => s.sessions);

Deno.test("funnel - counts unique sessions per stage and finds the steepest drop, ties to the earlier step", () => {
  const r = analyzeFunnel(SESSIONS);
  assertEquals(r.sessions, 6);
  assertEquals(counts(r.overall), [6, 4, 2, 1]);
  assertEquals(r.overall.stages.map((s) => s.fromPrevious), [
    null,
    0.6667,
    0.5,
    0.5,
  ]);
  assertEquals(r.overall.stages.map((s) => s.fromFirst), [
    1,
    0.6667,
    0.3333,
    0.1667,
  ]);
  // Drops are 0.3333, 0.5 and 0.5: the tie goes to product_view → add_to_cart.
  assertEquals(r.overall.steepestDrop, {
    from: "product_view",
    to: "add_to_cart",
    dropRate: 0.5,
  });
});

Deno.test("funnel - splits by device with each session under its own device", () => {
  const r = analyzeFunnel(SESSIONS);
  assertEquals(r.byDevice.map((d) => d.device), [
    "desktop",
    "mobile",
    "tablet",
  ]);
  const [desktop, mobile, tablet] = r.byDevice.map((d) => d.funnel);
  assertEquals(counts(desktop!), [2, 1, 0, 0]);
  assertEquals(desktop!.steepestDrop, {
    from: "product_view",
    to: "add_to_cart",
    dropRate: 1,
  });
  assertEquals(counts(mobile!), [3, 3, 2, 1]);
  assertEquals(mobile!.steepestDrop, {
    from: "add_to_cart",
    to: "purchase",
    dropRate: 0.5,
  });
  assertEquals(counts(tablet!), [1, 0, 0, 0]);
  // Later steps have no sessions to lose, so only the first step is measured.
  assertEquals(tablet!.stages.map((s) => s.fromPrevious), [
    null,
    0,
    null,
    null,
  ]);
  assertEquals(tablet!.steepestDrop, {
    from: "page_view",
    to: "product_view",
    dropRate: 1,
  });
});

Deno.test("funnel - by category counts later stages only on products of that category", () => {
  const r = analyzeFunnel(SESSIONS);
  assertEquals(r.byCategory.map((c) => c.category), ["laptops", "phones"]);
  assertEquals(counts(r.byCategory[0]!.funnel), [2, 2, 0, 0]);
  assertEquals(counts(r.byCategory[1]!.funnel), [3, 3, 2, 1]);
});

Deno.test("funnel - compares converted and non-converted sessions on events, duration and distinct types", () => {
  const r = analyzeFunnel(SESSIONS);
  assertEquals(r.comparison.converted, {
    sessions: 1,
    avgEvents: 5,
    avgDurationSeconds: 300,
    avgDistinctTypes: 4,
  });
  assertEquals(r.comparison.notConverted, {
    sessions: 5,
    avgEvents: 2.2,
    avgDurationSeconds: 60,
    avgDistinctTypes: 1.8,
  });
});

Deno.test("funnel - no sessions gives zero counts, null rates and no steepest drop", () => {
  const r = analyzeFunnel([]);
  assertEquals(counts(r.overall), [0, 0, 0, 0]);
  assertEquals(r.overall.stages.map((s) => s.fromFirst), [
    null,
    null,
    null,
    null,
  ]);
  assertEquals(r.overall.steepestDrop, null);
  assertEquals(r.byDevice, []);
  assertEquals(r.comparison.converted.avgEvents, null);
});

Deno.test("funnel - a group of sessions counts as that many single sessions", () => {
  const one = session("x", "mobile", 3, 90, ["page_view", "product_view"], [[
    "phones",
    "product_view",
  ]]);
  const grouped = analyzeFunnel([{
    ...one,
    sessions: 3,
    events: 9,
    durationSeconds: 270,
  }, SESSIONS[0]!]);
  const single = analyzeFunnel([one, one, one, SESSIONS[0]!]);
  assertEquals(grouped, single);
  assertEquals(counts(grouped.overall), [4, 4, 1, 1]);
  assertEquals(grouped.comparison.notConverted, {
    sessions: 3,
    avgEvents: 3,
    avgDurationSeconds: 90,
    avgDistinctTypes: 2,
  });
});

Deno.test("funnel - a purchase implies the stages before it, whose events a feed may not carry", () => {
  // An order feed: two sessions with a purchase event and nothing else.
  const orders = [
    session("o1", "mobile", 1, 0, ["purchase"], [["phones", "purchase"]]),
    session("o2", "desktop", 1, 0, ["purchase"], [["laptops", "purchase"]]),
  ];
  const r = analyzeFunnel([...SESSIONS, ...orders]);
  // Six tracked sessions [6, 4, 2, 1] and the two orders at every stage.
  assertEquals(counts(r.overall), [8, 6, 4, 3]);
  assertEquals(r.overall.stages[3]!.fromFirst, 0.375);
  assertEquals(counts(r.byDevice[0]!.funnel), [3, 2, 1, 1], "desktop");
  assertEquals(counts(r.byCategory[0]!.funnel), [3, 3, 1, 1], "laptops");
  // The converted sessions are those with a purchase event, as before.
  assertEquals(r.comparison.converted.sessions, 3);
});

Deno.test("funnel - no stage counts more sessions than the one before it, whatever events sessions have", () => {
  const stage = fc.constantFrom(
    "page_view",
    "product_view",
    "add_to_cart",
    "purchase",
    "search",
  );
  const group = fc.record({
    device: fc.constantFrom("mobile", "desktop"),
    eventTypes: fc.uniqueArray(stage, { maxLength: 5 }),
    categoryEvents: fc.array(
      fc.tuple(fc.constantFrom("phones", "laptops"), stage),
      { maxLength: 4 },
    ),
    sessions: fc.integer({ min: 1, max: 5 }),
    events: fc.integer({ min: 1, max: 20 }),
    durationSeconds: fc.integer({ min: 0, max: 600 }),
  });
  fc.assert(
    fc.property(fc.array(group, { maxLength: 12 }), (groups) => {
      const r = analyzeFunnel(groups);
      for (
        const f of [
          r.overall,
          ...r.byDevice.map((d) => d.funnel),
          ...r.byCategory.map((c) => c.funnel),
        ]
      ) {
        const n = counts(f);
        for (let i = 1; i < n.length; i++) {
          if (n[i]! > n[i - 1]!) return false;
        }
        if (f.stages.some((s) => (s.fromFirst ?? 0) > 1)) return false;
        if ((f.steepestDrop?.dropRate ?? 0) < 0) return false;
      }
      return true;
    }),
  );
});
