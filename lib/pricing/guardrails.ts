/**
 * The guardrails between a target and a recommended price, applied in a fixed
 * order: bounds, clamp, stock cover, competitors rising, largest step,
 * cooldown, price war. Each records an explanation step when it changes the
 * price. All prices here are integer cents. Rounding to the price ending is
 * the last step and lives in `rounding.ts`; this module hands it the window
 * the price may move in.
 */
import {
  ceilCents,
  dollars,
  duration,
  floorCents,
  money,
  percent,
} from "./money.ts";
import { detectPriceWar } from "./price_war.ts";
import type { Target } from "./targets.ts";
import type { Trail } from "./trail.ts";
import type { ProductInput, Strategy } from "./types.ts";

/** Where the price may be, in cents; `top` is the ceiling the price obeys. */
export interface Bounds {
  floor: number;
  /** The configured ceiling, reported even when below the floor. */
  ceiling: number;
  /** `ceiling`, or `floor` when they conflict: the floor wins. */
  top: number;
  conflict: boolean;
  /** What sets the floor; its sentence is written only when a step needs it. */
  floorBy: "cost" | "map" | "min";
}

export interface Move {
  cents: number;
  low: number;
  high: number;
}

/** What the guardrails read about one decision. */
export interface Guard {
  input: ProductInput;
  strategy: Strategy;
  now: number;
  /** Our current price in cents. */
  cur: number;
  bounds: Bounds;
  /** The target follows competitors (every kind but static and optimize). */
  market: boolean;
  trail: Trail;
}

/**
 * Floor = max(cost × (1 + minMargin), MAP, minimum price); ceiling = maximum
 * price, else list × (1 + maxMarkup). When the floor is above the ceiling the
 * floor wins: never below cost or MAP.
 */
export function computeBounds(input: ProductInput, strategy: Strategy): Bounds {
  let floor = Math.max(1, ceilCents(input.unitCost * (1 + strategy.minMargin)));
  let floorBy: Bounds["floorBy"] = "cost";
  if (input.mapPrice !== null && ceilCents(input.mapPrice) > floor) {
    [floor, floorBy] = [ceilCents(input.mapPrice), "map"];
  }
  if (input.minPrice !== null && ceilCents(input.minPrice) > floor) {
    [floor, floorBy] = [ceilCents(input.minPrice), "min"];
  }
  const ceiling = input.maxPrice !== null
    ? floorCents(input.maxPrice)
    : floorCents(input.listPrice * (1 + strategy.maxMarkup));
  const conflict = floor > ceiling;
  return { floor, ceiling, top: conflict ? floor : ceiling, conflict, floorBy };
}

function floorWhy(g: Guard): string {
  const by = g.bounds.floorBy;
  if (by === "map") return "the MAP";
  if (by === "min") return "the minimum price";
  return `cost ${dollars(g.input.unitCost)} ${
    percent(g.strategy.minMargin)
  } margin`;
}

function ceilingWhy(g: Guard): string {
  if (g.input.maxPrice !== null) return "the maximum price";
  return `list ${dollars(g.input.listPrice)} ${percent(g.strategy.maxMarkup)}`;
}

function clampToBounds(g: Guard, target: number): number {
  const { floor, top } = g.bounds;
  if (target < floor) {
    g.trail.step(
      "floor",
      `the floor is ${money(floor)} (${floorWhy(g)})`,
      floor,
    );
    return floor;
  }
  if (target > top) {
    g.trail.step(
      "ceiling",
      `the ceiling is ${money(top)} (${ceilingWhy(g)})`,
      top,
    );
    return top;
  }
  return target;
}

/** Days the stock lasts at the recent sales rate; 0 when out of stock. */
export function coverDays(stockUnits: number, salesPerDay: number): number {
  if (stockUnits <= 0) return 0;
  return salesPerDay > 0 ? stockUnits / salesPerDay : Infinity;
}

function coverText(input: ProductInput, cover: number): string {
  const days = cover === Infinity
    ? "no recent sales"
    : `${cover.toFixed(1)} days of cover`;
  return `${input.stockUnits} units, ${days}`;
}

/** Low cover never lowers and may add a premium; returns the price and overstock. */
function stockCover(
  g: Guard,
  p: number,
  reference: number,
): { p: number; overstock: boolean } {
  const { input, strategy: s, cur } = g;
  const cover = coverDays(input.stockUnits, input.salesPerDay);
  if (input.stockUnits <= 0) {
    // Nothing to sell: lowering wins nothing, and a premium would only drift.
    if (p >= cur) return { p, overstock: false };
    const detail = "out of stock: the price does not go down";
    g.trail.step("out_of_stock", detail, cur);
    g.trail.hold(detail);
    return { p: cur, overstock: false };
  }
  if (cover < s.lowCoverDays) {
    // The premium is over the market reference, never over our own price, so
    // repeated decisions cannot ratchet the price up while cover stays low.
    const base = Math.min(Math.max(reference, g.bounds.floor), g.bounds.top);
    const premium = Math.min(
      Math.floor(base * (1 + s.lowCoverRaisePct) + 1e-6),
      g.bounds.top,
    );
    const next = Math.max(p, premium, cur);
    if (next !== p) {
      const detail = `${
        coverText(input, cover)
      } (below ${s.lowCoverDays}): never lower, up to ${
        percent(s.lowCoverRaisePct)
      } over the market`;
      g.trail.step("low_cover", detail, next);
      if (next === cur) g.trail.hold(detail);
    }
    return { p: next, overstock: false };
  }
  return { p, overstock: cover > s.overstockCoverDays };
}

function competitorsRose(g: Guard, target: number, p: number): void {
  if (target <= g.cur) return;
  const detail = g.market
    ? `competitors are above us: target ${money(target)} over our ${
      money(g.cur)
    }; moving up`
    : `target ${money(target)} is over our ${money(g.cur)}; moving up`;
  g.trail.step(
    g.market ? "competitors_rose" : "raise_toward_target",
    detail,
    p,
  );
}

/** Largest step per change; a price outside the bounds moves straight in. */
function largestStep(g: Guard, p: number, overstock: boolean): Move {
  const { cur, strategy: s, trail } = g;
  const { floor, top } = g.bounds;
  if (cur < floor || cur > top) {
    const bound = cur < floor ? floor : top;
    const side = cur < floor ? "below the floor" : "above the ceiling";
    trail.step(
      "into_bounds",
      `our price ${money(cur)} is ${side} ${
        money(bound)
      }: moving straight into bounds`,
      bound,
    );
    return { cents: bound, low: floor, high: top };
  }
  // At least a cent, or a very cheap product could never move.
  const up = Math.max(1, Math.floor(cur * s.maxStepPct + 1e-6));
  const downPct = overstock
    ? Math.max(s.overstockStepPct, s.maxStepPct)
    : s.maxStepPct;
  const down = Math.max(1, Math.floor(cur * downPct + 1e-6));
  const low = Math.max(floor, cur - down), high = Math.min(top, cur + up);
  const name = overstock ? "overstock_step" : "largest_step";
  if (p > high) {
    trail.step(
      "largest_step",
      `at most ${percent(s.maxStepPct)} per change`,
      high,
    );
    return { cents: high, low, high };
  }
  if (p < low) {
    const why = overstock
      ? `overstocked: at most ${percent(-downPct)} per cut`
      : `at most ${percent(-downPct)} per change`;
    trail.step(name, why, low);
    return { cents: low, low, high };
  }
  return { cents: p, low, high };
}

/** Flags bounds where the floor is above the ceiling (then the floor wins). */
function noteConflict(g: Guard, price: number): void {
  const b = g.bounds;
  if (!b.conflict) return;
  g.trail.flag("bounds_conflict");
  const detail = `the floor ${money(b.floor)} (${
    floorWhy(g)
  }) is above the ceiling ${money(b.ceiling)} (${
    ceilingWhy(g)
  }): the floor wins`;
  g.trail.step("bounds_conflict", detail, price);
}

/** Holds at our price, or at the nearest bound when our price is outside. */
function holdAt(g: Guard, step: string, detail: string): Move {
  const { floor, top } = g.bounds;
  const at = Math.min(Math.max(g.cur, floor), top);
  g.trail.step(
    step,
    at === g.cur
      ? detail
      : `${detail}; our price is outside the bounds, so it moves to ${
        money(at)
      }`,
    at,
  );
  g.trail.hold(detail);
  return at === g.cur
    ? { cents: at, low: at, high: at }
    : { cents: at, low: floor, high: top };
}

function cooldown(g: Guard): string | null {
  const last = g.input.lastAppliedAt;
  const minutes = g.strategy.cooldownMinutes;
  if (last === null || g.now - last >= minutes * 60_000) return null;
  const ago = g.now >= last ? `${duration(g.now - last)} ago` : "in the future";
  return `cooldown: our price changed ${ago}; changes wait ${minutes} min`;
}

/**
 * Applies the guardrails to a target; a target without a price (not enough
 * data) holds. Returns the price (cents) and the window rounding may use.
 */
export function applyGuardrails(g: Guard, t: Target): Move {
  const target = t.cents;
  if (target === null) {
    g.trail.flag("insufficient_data");
    noteConflict(g, g.cur);
    return holdAt(g, "insufficient_data", `insufficient data: ${t.detail}`);
  }
  g.trail.step("target", t.detail, target);
  noteConflict(g, target);
  const clamped = clampToBounds(g, target);
  const stock = stockCover(g, clamped, t.reference ?? target);
  competitorsRose(g, clamped, stock.p);
  const move = largestStep(g, stock.p, stock.overstock);
  const waiting = cooldown(g);
  if (waiting) return holdAt(g, "cooldown", waiting);
  const war = detectPriceWar(g.input, g.strategy, g.now);
  if (war) {
    g.trail.flag("price_war");
    return holdAt(
      g,
      "price_war",
      `price war: ${war.source} undercut each of our last ${war.cuts} cuts`,
    );
  }
  return move;
}
