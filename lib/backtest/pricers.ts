/**
 * The strategies a backtest compares, each as a `Pricer`: given what the shop
 * knows about a product now, the price to apply (or null to hold). All but
 * `static` run the real decision core (`decide()` with its hygiene, targets
 * and guardrails), so the backtest measures the code the engine runs.
 */
import {
  decide,
  DEFAULT_STRATEGY,
  type Strategy,
  validateStrategy,
} from "../pricing/mod.ts";
import { estimateLookup, makeOptimizer } from "../pricing/optimize.ts";
import { ReactionLearner } from "../pricing/reactions.ts";
import type { CompetitorEvent } from "../events/schema.ts";
import type { BacktestInput } from "./books.ts";
import {
  ElasticityLearner,
  type ElasticityResult,
  type SalesCell,
} from "./learner.ts";

export const STRATEGY_NAMES = [
  "static",
  "seed-rule",
  "engine",
  "optimize",
] as const;
export type StrategyName = typeof STRATEGY_NAMES[number];

export interface Pricer {
  readonly name: string;
  /** The guardrails every applied price is checked against. */
  readonly strategy: Strategy;
  /** The price to apply now, or null to hold. */
  price(input: BacktestInput): number | null;
  /** Sees every step's sales and competitor observations (a pricer that learns). */
  record?(cells: readonly SalesCell[], seen: readonly CompetitorEvent[]): void;
  /** Re-estimates what it learns; the run calls it once a simulated day. */
  refresh?(): void;
  /** What it has learned so far. */
  learned?(): ElasticityResult | null;
}

/** Our list prices, never changed. */
export function staticPricer(): Pricer {
  return { name: "static", strategy: DEFAULT_STRATEGY, price: () => null };
}

/** `decide()` under `strategy`; applies every decision that is not a hold. */
export function strategyPricer(
  name: string,
  strategy: Strategy,
  opts: Parameters<typeof decide>[3] = {},
): Pricer {
  return {
    name,
    strategy,
    price(input) {
      const d = decide(input, strategy, input.now, opts);
      return d.action === "hold" ? null : d.recommendedPrice;
    },
  };
}

/**
 * `decide()` under a strategy whose target is `optimize`, with what the shop
 * learns during the run: the elasticity of its own orders (re-estimated on
 * `refresh()`, shrunk toward the prior and explored while its interval is
 * wide) and which competitors follow its prices (lib/pricing/optimize.ts and
 * reactions.ts). `optimize` is the default strategy with that target.
 */
export function optimizePricer(
  seed: string,
  name = "optimize",
  strategy: Strategy = validateStrategy({
    ...DEFAULT_STRATEGY,
    target: { kind: "optimize" },
  }),
): Pricer {
  const learner = new ElasticityLearner();
  const rivals = new ReactionLearner();
  let lookup: ReturnType<typeof estimateLookup> = () => undefined;
  const optimizer = makeOptimizer({
    elasticity: (category, productId) => lookup(category, productId),
    reactions: (productId) => rivals.reactions(productId),
    seed: `${seed}:optimize`,
  });
  const inner = strategyPricer(name, strategy, { optimizer });
  return {
    ...inner,
    record(cells, seen) {
      for (const c of cells) {
        learner.add(c);
        rivals.ours(c.productId, c.at, c.ourPrice);
      }
      for (const e of seen) {
        const at = Date.parse(e.timestamp);
        rivals.theirs(e.competitor_name, e.product_id, at, e.competitor_price);
      }
    },
    refresh() {
      lookup = estimateLookup(learner.estimate());
      rivals.refresh();
    },
    learned: () => learner.latest,
  };
}

/**
 * The pricer of a strategy name; `engine` runs `engineStrategy` (default: the
 * shipped DEFAULT_STRATEGY), learning as `optimize` does when its target is
 * `optimize`.
 */
export function pricerFor(
  name: StrategyName,
  seed: string,
  engineStrategy: Strategy = DEFAULT_STRATEGY,
): Pricer {
  switch (name) {
    case "static":
      return staticPricer();
    case "seed-rule":
      return strategyPricer(
        name,
        validateStrategy({
          ...DEFAULT_STRATEGY,
          target: { kind: "seed_rule" },
        }),
      );
    case "engine":
      return engineStrategy.target.kind === "optimize"
        ? optimizePricer(`${seed}:engine`, name, engineStrategy)
        : strategyPricer(name, engineStrategy);
    case "optimize":
      return optimizePricer(seed);
  }
}

/** Reads `--strategies a,b`: known names, in the order given, without repeats. */
export function parseStrategyNames(text: string): StrategyName[] {
  const names = text.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(STRATEGY_NAMES as readonly string[]).includes(n)) {
      throw new RangeError(
        `Strategy "${n}" is unknown: expected ${STRATEGY_NAMES.join(", ")}`,
      );
    }
  }
  if (names.length === 0) {
    throw new RangeError("No strategy given: expected at least one name");
  }
  return [...new Set(names)] as StrategyName[];
}
