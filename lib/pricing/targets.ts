/**
 * Where the price wants to go, per target kind, from the observations that
 * survived hygiene. No guardrail here: the target may lie below cost or far
 * from our price; `guardrails.ts` decides how much of it we follow.
 */
import { dollars, fromCents, money, percent, toCents } from "./money.ts";
import {
  decide as seedRule,
  DEFAULT_THRESHOLDS,
  type Thresholds,
} from "./rule.ts";
import type {
  Observation,
  Offsets,
  Optimizer,
  ProductInput,
  Strategy,
} from "./types.ts";

/** A target in cents, or null with the reason there is not enough data. */
export interface Target {
  cents: number | null;
  /**
   * The market price a low-cover premium builds on, when it is not `cents`:
   * the seed rule's "hold" target is our own price, and a premium over that
   * would compound every cooldown.
   */
  reference?: number;
  /** "target", or "insufficient_data" when `cents` is null. */
  step: "target" | "insufficient_data";
  detail: string;
}

/** What a target may use besides the product and its observations. */
export interface TargetOptions {
  optimizer?: Optimizer;
  /** Thresholds of the seed rule (default: rule.ts's). */
  seedThresholds?: Thresholds;
}

function mean(used: readonly Observation[]): number {
  let sum = 0;
  for (const o of used) sum += o.price;
  return sum / used.length;
}

function cheapest(used: readonly Observation[]): Observation {
  let best = used[0]!;
  for (const o of used) if (o.price < best.price) best = o;
  return best;
}

function withOffsets(
  reference: number,
  what: string,
  offsets: Offsets,
): Target {
  const pct = offsets.offsetPct ?? 0;
  const amount = offsets.offsetAmount ?? 0;
  const cents = toCents(reference * (1 + pct) + amount);
  let detail = `${what} ${dollars(reference)}`;
  if (pct !== 0) detail += ` ${percent(pct)}`;
  if (amount !== 0) {
    detail += ` ${amount > 0 ? "+" : "-"} ${dollars(Math.abs(amount))}`;
  }
  if (pct !== 0 || amount !== 0) detail += ` = ${money(cents)}`;
  return { cents, step: "target", detail };
}

function average(
  used: readonly Observation[],
  offsets: Offsets,
  lead = "",
): Target {
  const what = `${lead}average of ${used.length} competitor price${
    used.length === 1 ? "" : "s"
  }`;
  return withOffsets(mean(used), what, offsets);
}

function seed(
  input: ProductInput,
  used: readonly Observation[],
  t: Thresholds,
): Target {
  const avg = mean(used);
  const d = seedRule(input.currentPrice, avg, input.purchasesLastHour, t);
  const n = input.purchasesLastHour;
  const facts = `we are ${percent(d.gap)} against the average ${
    dollars(avg)
  } with ${n} purchase${n === 1 ? "" : "s"} in the last hour`;
  const cents = toCents(d.recommendedPrice);
  const verdict = d.recommendation === "hold"
    ? "hold at our price"
    : `${d.recommendation} to ${t.targetFactor} × average = ${money(cents)}`;
  return {
    cents,
    reference: toCents(avg),
    step: "target",
    detail: `seed rule: ${facts}, so ${verdict}`,
  };
}

function optimized(
  input: ProductInput,
  used: readonly Observation[],
  floor: number,
  ceiling: number,
  optimizer: Optimizer | undefined,
): Target {
  if (!optimizer) {
    return average(used, {}, "no optimizer is available, so the ");
  }
  const out = optimizer(input, used, fromCents(floor), fromCents(ceiling));
  if (!Number.isFinite(out.price) || out.price < 0.01) {
    return average(used, {}, `the optimizer returned ${out.price}, so the `);
  }
  const cents = toCents(out.price);
  return { cents, step: "target", detail: `optimizer: ${out.detail}` };
}

function insufficient(detail: string): Target {
  return { cents: null, step: "insufficient_data", detail };
}

/**
 * The target of the strategy for one product, in cents, from the usable
 * observations `used` (of `total` seen); null when the data is not enough.
 * `floor` and `ceiling` (cents) are passed to an optimizer.
 */
export function computeTarget(
  input: ProductInput,
  strategy: Strategy,
  used: readonly Observation[],
  total: number,
  floor: number,
  ceiling: number,
  opts: TargetOptions = {},
): Target {
  const target = strategy.target;
  // The list price needs no market data, so it is never held for lack of it.
  if (target.kind === "static") {
    return {
      cents: toCents(input.listPrice),
      step: "target",
      detail: "the list price",
    };
  }
  if (used.length < strategy.minObservations) {
    return insufficient(
      `${used.length} of ${total} observations usable; the strategy needs at least ${strategy.minObservations}`,
    );
  }
  switch (target.kind) {
    case "seed_rule":
      return seed(input, used, opts.seedThresholds ?? DEFAULT_THRESHOLDS);
    case "average":
      return average(used, target);
    case "cheapest": {
      const c = cheapest(used);
      return withOffsets(
        c.price,
        `the cheapest competitor price (${c.source})`,
        target,
      );
    }
    case "competitor": {
      const theirs = used.find((o) => o.source === target.competitor);
      if (!theirs) {
        return insufficient(
          `competitor "${target.competitor}" has no usable observation`,
        );
      }
      return withOffsets(theirs.price, `the price of ${theirs.source}`, target);
    }
    case "optimize":
      return optimized(input, used, floor, ceiling, opts.optimizer);
  }
}
