/**
 * Customer segments (RFM): recency, frequency and monetary quintile scores
 * (1–5) for every user with a purchase, mapped to named segments.
 */
import { argmax, round, sum } from "./stats.ts";

/** One purchasing user, aggregated by `rfm_input.ts`. */
export interface RfmCustomer {
  userId: string;
  /** Time of the user's latest purchase. */
  lastPurchaseAt: Date;
  /** Orders: distinct sessions with at least one purchase. */
  orders: number;
  /** Sum of product_price over the user's purchase events ($). */
  revenue: number;
  /** Purchase events per device type. */
  deviceCounts: Record<string, number>;
}

export interface RfmScores {
  r: number;
  f: number;
  m: number;
}

/** A named segment, with the rule (first match wins, in this order). */
export interface SegmentRule {
  name: string;
  rule: string;
  test: (s: RfmScores) => boolean;
}

export const SEGMENT_RULES: readonly SegmentRule[] = [
  {
    name: "Champions",
    rule: "R ≥ 4 and F ≥ 4 and M ≥ 4",
    test: ({ r, f, m }) => r >= 4 && f >= 4 && m >= 4,
  },
  {
    name: "Loyal Customers",
    rule: "R ≥ 3 and F ≥ 4",
    test: ({ r, f }) => r >= 3 && f >= 4,
  },
  {
    name: "Big Spenders",
    rule: "R ≥ 3 and M ≥ 4",
    test: ({ r, m }) => r >= 3 && m >= 4,
  },
  {
    name: "Potential Loyalists",
    rule: "R ≥ 4",
    test: ({ r }) => r >= 4,
  },
  {
    name: "At Risk",
    rule: "R ≤ 2 and (F ≥ 3 or M ≥ 3)",
    test: ({ r, f, m }) => r <= 2 && (f >= 3 || m >= 3),
  },
  { name: "Lost", rule: "R = 1", test: ({ r }) => r === 1 },
  { name: "Needs Attention", rule: "everyone else", test: () => true },
];

/** The first segment whose rule matches the scores. */
export function segmentOf(s: RfmScores): string {
  return SEGMENT_RULES.find((rule) => rule.test(s))!.name;
}

/**
 * Quintile scores, higher value → higher score:
 * `score(v) = 1 + floor(5 × #{values strictly below v} / n)`.
 * Tied values always share a score (the one of their lowest rank), so a
 * quintile may hold more or fewer than n/5 users, and with heavy ties some
 * scores go unused. An empty list gives an empty list.
 */
export function quintileScores(values: readonly number[]): number[] {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  return values.map((v) => {
    // Binary search for the first index holding v = #values below v.
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return 1 + Math.floor((5 * lo) / n);
  });
}

/** Smallest and largest value holding each used score: the quintile edges. */
export function quintileEdges(
  values: readonly number[],
  scores: readonly number[],
): Array<{ score: number; min: number; max: number; count: number }> {
  const out = new Map<
    number,
    { score: number; min: number; max: number; count: number }
  >();
  values.forEach((v, i) => {
    const score = scores[i]!;
    const e = out.get(score);
    if (!e) out.set(score, { score, min: v, max: v, count: 1 });
    else {
      e.min = Math.min(e.min, v);
      e.max = Math.max(e.max, v);
      e.count++;
    }
  });
  return [...out.values()].sort((a, b) => a.score - b.score);
}

export interface ScoredCustomer extends RfmScores {
  userId: string;
  recencyDays: number;
  orders: number;
  revenue: number;
  preferredDevice: string | null;
  segment: string;
}

export interface SegmentSummary {
  segment: string;
  rule: string;
  customers: number;
  revenue: number;
  /** Device with the most purchases by the segment's customers (ties: alphabetical). */
  preferredDevice: string | null;
}

export interface RfmResult {
  customers: ScoredCustomer[];
  segments: SegmentSummary[];
  edges: {
    recencyDays: ReturnType<typeof quintileEdges>;
    orders: ReturnType<typeof quintileEdges>;
    revenue: ReturnType<typeof quintileEdges>;
  };
}

/**
 * Recency scores: quintiles of the last purchase time (a more recent
 * purchase scores higher), but never below `band − 2`, where band is 5 for
 * a purchase in the newest fifth of the window, 4 in the next fifth, and so
 * on. Quintiles only rank: when every customer bought in the last hour, the
 * oldest fifth still scored 1 and was called "Lost" 0.0 h after a purchase.
 * With the floor, a purchase in the newest fifth of the window is never At
 * Risk or Lost, and one in the second fifth never Lost. Without
 * `windowHours` there is no floor.
 */
export function recencyScores(
  lastPurchase: readonly Date[],
  now: Date,
  windowHours?: number,
): number[] {
  const q = quintileScores(lastPurchase.map((d) => d.getTime()));
  if (!windowHours) return q;
  return lastPurchase.map((d, i) => {
    const ageHours = (now.getTime() - d.getTime()) / 3_600_000;
    const band = 5 - Math.min(4, Math.floor((5 * ageHours) / windowHours));
    return Math.max(q[i]!, band - 2);
  });
}

/**
 * Scores every customer and summarises the segments. Recency is days from
 * the last purchase to `now` (4 decimals, for display); R is
 * {@linkcode recencyScores} over the window of `windowHours` ending `now`.
 * F scores orders, M scores revenue. Segments are listed in rule order,
 * empty ones included (0 customers, $0).
 */
export function analyzeRfm(
  customers: readonly RfmCustomer[],
  now: Date,
  windowHours?: number,
): RfmResult {
  const days = customers.map((c) =>
    round((now.getTime() - c.lastPurchaseAt.getTime()) / 86_400_000, 4)
  );
  const r = recencyScores(
    customers.map((c) => c.lastPurchaseAt),
    now,
    windowHours,
  );
  const f = quintileScores(customers.map((c) => c.orders));
  const m = quintileScores(customers.map((c) => c.revenue));
  const scored = customers.map((c, i): ScoredCustomer => {
    const s = { r: r[i]!, f: f[i]!, m: m[i]! };
    return {
      userId: c.userId,
      recencyDays: days[i]!,
      orders: c.orders,
      revenue: round(c.revenue, 2),
      ...s,
      preferredDevice: argmax(c.deviceCounts),
      segment: segmentOf(s),
    };
  });
  const segments = SEGMENT_RULES.map(({ name, rule }): SegmentSummary => {
    const members = customers.filter((_, i) => scored[i]!.segment === name);
    const devices: Record<string, number> = {};
    for (const c of members) {
      for (const [d, n] of Object.entries(c.deviceCounts)) {
        devices[d] = (devices[d] ?? 0) + n;
      }
    }
    return {
      segment: name,
      rule,
      customers: members.length,
      revenue: round(sum(members.map((c) => c.revenue)), 2),
      preferredDevice: argmax(devices),
    };
  });
  return {
    customers: scored,
    segments,
    edges: {
      recencyDays: quintileEdges(days, r),
      orders: quintileEdges(customers.map((c) => c.orders), f),
      revenue: quintileEdges(customers.map((c) => c.revenue), m),
    },
  };
}
