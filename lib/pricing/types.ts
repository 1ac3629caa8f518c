/**
 * The contract of the pricing decision core: what `decide` reads about one
 * product, the strategy an analyst configures, and the decision it returns.
 * Everything here is plain data (JSON-serialisable) so the engine, the
 * approval pages and the simulator share one shape. Prices are currency units
 * with two decimals; times are epoch milliseconds.
 */
import type { Thresholds } from "./rule.ts";
import type { Action } from "./action.ts";

export type { Action };

/** One competitor's price for the product, as our crawler saw it. */
export interface Observation {
  /** Competitor name, e.g. "TechMart". */
  source: string;
  /** Their price, currency units. */
  price: number;
  /** When it was seen (epoch ms). */
  observedAt: number;
  /** Id of the event that carried it, to trace a decision back to Kafka. */
  eventId?: string;
}

/** A price change of ours that was applied. */
export interface PriceChange {
  /** When it was applied (epoch ms). */
  at: number;
  oldPrice: number;
  newPrice: number;
}

/** Everything `decide` knows about one product. */
export interface ProductInput {
  productId: string;
  category: string;
  /** The manufacturer's list price: the base of the ceiling. */
  listPrice: number;
  /** What we sell at now. */
  currentPrice: number;
  /** What one unit costs us: the base of the floor. */
  unitCost: number;
  /** Minimum advertised price agreed with the brand; null when none. */
  mapPrice: number | null;
  /** Analyst's hard minimum; null when none. */
  minPrice: number | null;
  /** Analyst's hard maximum; replaces the markup ceiling when set. */
  maxPrice: number | null;
  /** Latest observation per competitor. */
  observations: readonly Observation[];
  /** Units on hand; 0 or less means out of stock. */
  stockUnits: number;
  /** Units sold per day, recently. */
  salesPerDay: number;
  /** Purchases in the last hour (the seed rule's velocity). */
  purchasesLastHour: number;
  /** When our price last changed (epoch ms); null when never. */
  lastAppliedAt: number | null;
  /** Our applied changes, oldest first (newest last). */
  recentChanges: readonly PriceChange[];
  /** Competitor observations within the price-war window, for detection. */
  competitorHistory?: readonly Observation[];
}

/** Target offsets: the target is `reference × (1 + offsetPct) + offsetAmount`. */
export interface Offsets {
  /** −0.02 = 2% below the reference. */
  offsetPct?: number;
  /** Currency units added after the percentage. */
  offsetAmount?: number;
}

/** Where the price wants to go before the guardrails. */
export type TargetSpec =
  /** The list price, whatever the market does. */
  | { kind: "static" }
  /** The original rule of `rule.ts` on the competitor average. */
  | { kind: "seed_rule" }
  /** The cheapest or the mean of the usable competitor prices. */
  | ({ kind: "cheapest" | "average" } & Offsets)
  /** One named competitor's price. */
  | ({ kind: "competitor"; competitor: string } & Offsets)
  /** An injected optimiser (elasticity model); `average` without one. */
  | { kind: "optimize" };

export type TargetKind = TargetSpec["kind"];

/** Hold when one competitor undercut our last `undercuts` cuts in a row. */
export interface PriceWarRule {
  /** How many of our cuts in a row they must have undercut (≥ 1). */
  undercuts: number;
  /** Only our cuts within this many hours count. */
  windowHours: number;
}

/** When a recommendation may be applied without an analyst. */
export interface AutoApplyRule {
  /** Largest |change| / current price applied automatically. */
  maxChangePct: number;
  /** Lowest confidence applied automatically. */
  minConfidence: number;
}

/** A resolved pricing strategy: every field set, validated by `strategy.ts`. */
export interface Strategy {
  target: TargetSpec;
  /** Only these competitors count; absent means all. */
  includeCompetitors?: readonly string[];
  /** These competitors never count. */
  excludeCompetitors?: readonly string[];
  /** Usable observations needed before a market target is trusted. */
  minObservations: number;
  /** Floor = unit cost × (1 + minMargin). */
  minMargin: number;
  /** Ceiling = list price × (1 + maxMarkup), unless maxPrice is set. */
  maxMarkup: number;
  /** Largest change per decision, as a share of the current price. */
  maxStepPct: number;
  /** Minutes after an applied change during which the price holds. */
  cooldownMinutes: number;
  /** Cents every new price ends on (0.99 → x.99); null = any cent. */
  priceEnding: number | null;
  /** Below this many days of stock cover the price never goes down. */
  lowCoverDays: number;
  /** Premium over the target allowed while cover is low. */
  lowCoverRaisePct: number;
  /** Above this many days of cover, cuts may be larger. */
  overstockCoverDays: number;
  /** Largest cut per decision while overstocked. */
  overstockStepPct: number;
  /** Price-war detection; null disables it. */
  priceWar: PriceWarRule | null;
  /** Auto-apply rule; null means an analyst approves every change. */
  autoApply: AutoApplyRule | null;
}

/** A category's or a product's partial strategy, merged field by field. */
export type StrategyOverride =
  & Partial<Omit<Strategy, "priceWar" | "autoApply">>
  & {
    priceWar?: Partial<PriceWarRule> | null;
    autoApply?: Partial<AutoApplyRule> | null;
  };

/** Why an observation was not used. */
export type ExclusionReason =
  | "stale"
  | "outlier"
  | "excluded_competitor"
  | "invalid";

/** An observation that no rule saw, and why. */
export interface ExcludedObservation {
  observation: Observation;
  reason: ExclusionReason;
  /** One sentence, e.g. naming the median and the ratio of an outlier. */
  detail: string;
}

/** One line of the waterfall: a step that set or changed the price. */
export interface ExplanationStep {
  /** Short snake_case name, e.g. "target", "floor", "largest_step". */
  step: string;
  /** One sentence an analyst can read. */
  detail: string;
  /** The price after this step. */
  priceAfter: number;
}

/** Conditions an analyst must look at; any flag blocks auto-apply. */
export type Flag =
  | "insufficient_data"
  | "price_war"
  | "bounds_conflict"
  | "rounding_unavailable"
  | "invalid_input";

/** The recommendation for one product, with everything that explains it. */
export interface Decision {
  productId: string;
  currentPrice: number;
  /** The strategy's target before guardrails; null without enough data. */
  target: number | null;
  recommendedPrice: number;
  action: Action;
  /** 0..1, from the observations' number, agreement and freshness. */
  confidence: number;
  floor: number;
  /** The configured ceiling; below the floor when `bounds_conflict`. */
  ceiling: number;
  /** (recommended − cost) / recommended. */
  expectedMargin: number;
  used: Observation[];
  excluded: ExcludedObservation[];
  /** Never empty: the target step is always there. */
  explanation: ExplanationStep[];
  flags: Flag[];
  /** True when the change may be applied without an analyst. */
  autoApply: boolean;
  /** Why the price holds; null exactly when the action is not "hold". */
  holdReason: string | null;
}

/** An elasticity model: the best price within [floor, ceiling]. */
export type Optimizer = (
  input: ProductInput,
  used: readonly Observation[],
  floor: number,
  ceiling: number,
) => { price: number; detail: string };

/** What the caller may add to one decision. */
export interface DecideOptions {
  /** Thresholds of the seed rule (default: rule.ts's DEFAULT_THRESHOLDS). */
  seedThresholds?: Thresholds;
  /** Observations older than this are stale (default 6 h). */
  maxAgeMs?: number;
  /** The model behind `{ kind: "optimize" }`. */
  optimizer?: Optimizer;
  /** Why a data-quality gate blocks auto-apply now; null when it does not. */
  autoApplyBlocked?: string | null;
}
