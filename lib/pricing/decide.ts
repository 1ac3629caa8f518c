/**
 * The pricing decision for one product, pure: hygiene on the competitor
 * prices, the strategy's target, the guardrails, rounding to the price
 * ending, confidence and auto-apply. No I/O and no clock: `now` is passed in,
 * so the engine, the approval pages and the simulator's accelerated time all
 * get the same answer for the same input.
 */
import { autoApplyVerdict, computeConfidence } from "./confidence.ts";
import {
  applyGuardrails,
  computeBounds,
  type Guard,
  type Move,
} from "./guardrails.ts";
import {
  cleanObservations,
  DEFAULT_MAX_AGE_MS,
  isUsablePrice,
} from "./hygiene.ts";
import { fromCents, money, toCents } from "./money.ts";
import { endingLabel, roundToEnding } from "./rounding.ts";
import { computeTarget } from "./targets.ts";
import { Trail } from "./trail.ts";
import type {
  Action,
  DecideOptions,
  Decision,
  ProductInput,
  Strategy,
} from "./types.ts";

function numberProblem(
  field: string,
  value: unknown,
  min: number | null,
): string | null {
  const ok = typeof value === "number" && Number.isFinite(value) &&
    (min === null || value >= min);
  if (ok) return null;
  const need = min === null
    ? "a finite number"
    : `a finite number of at least ${min}`;
  return `field "${field}" must be ${need}, got ${String(value)}`;
}

// Checked on every decision, so the table is built once, not per product.
const NUMBERS: readonly (readonly [keyof ProductInput, number | null])[] = [
  ["currentPrice", 0.01],
  ["listPrice", 0.01],
  ["unitCost", 0],
  ["stockUnits", null],
  ["salesPerDay", 0],
  ["purchasesLastHour", 0],
];
const NULLABLE = ["mapPrice", "minPrice", "maxPrice", "lastAppliedAt"] as const;

/** Why the input cannot be priced, in one sentence; null when it can. */
function inputProblem(input: ProductInput): string | null {
  for (const [field, min] of NUMBERS) {
    const problem = numberProblem(field, input[field], min);
    if (problem) return problem;
  }
  for (const field of NULLABLE) {
    const value = input[field];
    const problem = value === null ? null : numberProblem(field, value, 0);
    if (problem) return `${problem} or null`;
  }
  if (
    !Array.isArray(input.observations) || !Array.isArray(input.recentChanges)
  ) {
    return `fields "observations" and "recentChanges" must be lists`;
  }
  return null;
}

// A product that cannot be priced still gets a decision, so one bad row does
// not stop a run over a million products; the flag keeps it from being applied.
function invalidDecision(input: ProductInput, problem: string): Decision {
  const price = isUsablePrice(input.currentPrice)
    ? fromCents(toCents(input.currentPrice))
    : 0;
  return {
    productId: input.productId,
    currentPrice: price,
    target: null,
    recommendedPrice: price,
    action: "hold",
    confidence: 0,
    floor: 0,
    ceiling: 0,
    expectedMargin: 0,
    used: [],
    excluded: [],
    explanation: [{
      step: "invalid_input",
      detail: `Cannot price product "${input.productId}": ${problem}`,
      priceAfter: price,
    }],
    flags: ["invalid_input"],
    autoApply: false,
    holdReason: `invalid input: ${problem}`,
  };
}

/**
 * The price ending applies to changes only: a price that does not move is
 * left as it is. The window keeps the direction of the move, so rounding
 * never turns a raise into a cut or the other way round.
 */
function roundMove(g: Guard, move: Move): number {
  const { cur, trail } = g;
  const p = move.cents;
  const ending = g.strategy.priceEnding;
  if (p === cur || ending === null) return p;
  const low = p > cur ? Math.max(move.low, cur) : move.low;
  const high = p < cur ? Math.min(move.high, cur) : move.high;
  const label = endingLabel(toCents(ending));
  const rounded = roundToEnding(p, low, high, toCents(ending));
  if (rounded === null) {
    trail.flag("rounding_unavailable");
    const detail = `no price ending in ${label} lies between ${
      money(low)
    } and ${money(high)}: kept to the cent`;
    trail.step("rounding", detail, p);
    return p;
  }
  if (rounded !== p) {
    const detail = rounded < p
      ? `rounded down to the ${label} ending`
      : `rounded up to the ${label} ending: rounding down would leave the allowed window`;
    trail.step("rounding", detail, rounded);
  }
  return rounded;
}

function actionOf(price: number, cur: number): Action {
  return price > cur ? "raise" : price < cur ? "lower" : "hold";
}

/**
 * Decides the price of one product under `strategy` at time `now` (epoch ms).
 * Never throws on bad data: an unusable input gives a held decision flagged
 * `invalid_input`.
 */
export function decide(
  input: ProductInput,
  strategy: Strategy,
  now: number,
  opts: DecideOptions = {},
): Decision {
  const problem = inputProblem(input);
  if (problem) return invalidDecision(input, problem);
  const maxAgeMs = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const trail = new Trail();
  const cur = toCents(input.currentPrice);
  const bounds = computeBounds(input, strategy);
  const clean = cleanObservations(
    input.observations,
    strategy,
    input.currentPrice,
    now,
    maxAgeMs,
  );
  const target = computeTarget(
    input,
    strategy,
    clean.used,
    input.observations.length,
    bounds.floor,
    bounds.top,
    opts,
  );
  const kind = strategy.target.kind;
  const market = kind !== "static" && kind !== "optimize";
  const g: Guard = { input, strategy, now, cur, bounds, market, trail };
  const price = roundMove(g, applyGuardrails(g, target));
  const action = actionOf(price, cur);
  const confidence = computeConfidence(clean.used, kind, now, maxAgeMs);
  const verdict = autoApplyVerdict(
    strategy.autoApply,
    (price - cur) / cur,
    confidence,
    trail.flags,
    opts.autoApplyBlocked ?? null,
  );
  if (verdict.detail) trail.step("auto_apply", verdict.detail, price);
  return {
    productId: input.productId,
    currentPrice: fromCents(cur),
    target: target.cents === null ? null : fromCents(target.cents),
    recommendedPrice: fromCents(price),
    action,
    confidence,
    floor: fromCents(bounds.floor),
    ceiling: fromCents(bounds.ceiling),
    expectedMargin: marginAt(price, input.unitCost),
    used: clean.used,
    excluded: clean.excluded,
    explanation: trail.steps,
    flags: trail.flags,
    autoApply: verdict.autoApply,
    holdReason: action === "hold" ? holdReasonOf(trail) : null,
  };
}

/** (price − cost) / price, four decimals, never −0. */
function marginAt(priceCents: number, unitCost: number): number {
  return Math.round(((priceCents - unitCost * 100) / priceCents) * 10_000) /
      10_000 + 0;
}

function holdReasonOf(trail: Trail): string {
  return trail.holdReason ??
    "the target and the guardrails leave the price as it is";
}
