/**
 * Price-war detection: when one competitor went below us after each of our
 * last few cuts, following them again only starts the next round. The
 * guardrails hold the price instead and flag it for an analyst.
 */
import { isCompetitorAllowed, isUsablePrice, OUTLIER_LOW } from "./hygiene.ts";
import type {
  Observation,
  PriceChange,
  ProductInput,
  Strategy,
} from "./types.ts";

/** What detection reads about a product. */
export type WarInput = Pick<
  ProductInput,
  "recentChanges" | "observations" | "competitorHistory"
>;

/** The competitor that undercut each of our last `cuts` cuts. */
export interface PriceWar {
  source: string;
  cuts: number;
}

/**
 * True when `source` priced below our new price after `change` and before
 * the next one. Prices below half of ours are junk, not an undercut, for the
 * same reason hygiene quarantines them.
 */
function undercut(
  list: readonly Observation[],
  source: string,
  change: PriceChange,
  until: number,
  strategy: Strategy,
): boolean {
  for (const o of list) {
    if (
      o.source !== source || o.observedAt <= change.at || o.observedAt >= until
    ) continue;
    if (!isUsablePrice(o.price) || !isCompetitorAllowed(o.source, strategy)) {
      continue;
    }
    if (o.price < change.newPrice && o.price >= change.newPrice * OUTLIER_LOW) {
      return true;
    }
  }
  return false;
}

function undercutAll(
  input: WarInput,
  source: string,
  first: number,
  strategy: Strategy,
) {
  const changes = input.recentChanges;
  for (let i = first; i < changes.length; i++) {
    const until = i + 1 < changes.length ? changes[i + 1]!.at : Infinity;
    const change = changes[i]!;
    const seen =
      undercut(input.observations, source, change, until, strategy) ||
      undercut(input.competitorHistory ?? [], source, change, until, strategy);
    if (!seen) return false;
  }
  return true;
}

/**
 * The competitor that undercut each of our last `priceWar.undercuts` applied
 * changes, all of them cuts within `priceWar.windowHours`; null when none did
 * (or detection is off).
 */
export function detectPriceWar(
  input: WarInput,
  strategy: Strategy,
  now: number,
): PriceWar | null {
  const rule = strategy.priceWar;
  const changes = input.recentChanges;
  if (!rule || changes.length < rule.undercuts) return null;
  const first = changes.length - rule.undercuts;
  const since = now - rule.windowHours * 3_600_000;
  for (let i = first; i < changes.length; i++) {
    // A raise of ours is not a round of a war, and old cuts are history.
    const c = changes[i]!;
    if (c.at < since || !(c.newPrice < c.oldPrice)) return null;
  }
  const tried: string[] = [];
  for (const list of [input.observations, input.competitorHistory ?? []]) {
    for (const o of list) {
      if (tried.includes(o.source)) continue;
      tried.push(o.source);
      if (undercutAll(input, o.source, first, strategy)) {
        return { source: o.source, cuts: rule.undercuts };
      }
    }
  }
  return null;
}
