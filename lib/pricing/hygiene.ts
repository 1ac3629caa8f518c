/**
 * Observation hygiene: what happens to competitor prices before any rule sees
 * them. Invalid prices, excluded competitors, stale and superseded
 * observations are dropped; an observation far from the others and from our
 * own price is quarantined as an outlier. Every dropped observation is kept
 * with its reason so an analyst sees why a price was not followed.
 */
import { dollars, duration } from "./money.ts";
import type { ExcludedObservation, Observation, Strategy } from "./types.ts";

/** Observations older than this are stale unless the caller says otherwise. */
export const DEFAULT_MAX_AGE_MS = 6 * 3_600_000;

/** Usable prices lie within [LOW, HIGH] × the median of the others and ours. */
export const OUTLIER_LOW = 0.5;
export const OUTLIER_HIGH = 2;

// Clocks of crawlers drift; a few minutes ahead is skew, more is a bad row.
const FUTURE_SKEW_MS = 5 * 60_000;

/** The observations a rule may use and the ones it may not. */
export interface CleanObservations {
  used: Observation[];
  excluded: ExcludedObservation[];
}

type Lists = Pick<Strategy, "includeCompetitors" | "excludeCompetitors">;

/** True when a price can be a real shelf price (finite, at least a cent). */
export function isUsablePrice(price: number): boolean {
  return Number.isFinite(price) && price >= 0.01;
}

/** True when the strategy lets this competitor count. */
export function isCompetitorAllowed(source: string, lists: Lists): boolean {
  if (lists.excludeCompetitors?.includes(source)) return false;
  return !lists.includeCompetitors || lists.includeCompetitors.includes(source);
}

function screen(
  o: Observation,
  lists: Lists,
  now: number,
  maxAgeMs: number,
): ExcludedObservation | null {
  if (!isUsablePrice(o.price)) {
    return {
      observation: o,
      reason: "invalid",
      detail: `price ${o.price} is not a usable price`,
    };
  }
  if (
    typeof o.source !== "string" || o.source === "" ||
    !Number.isFinite(o.observedAt)
  ) {
    return {
      observation: o,
      reason: "invalid",
      detail: "the source or the time is missing",
    };
  }
  if (o.observedAt > now + FUTURE_SKEW_MS) {
    const detail = `observed ${duration(o.observedAt - now)} in the future`;
    return { observation: o, reason: "invalid", detail };
  }
  if (!isCompetitorAllowed(o.source, lists)) {
    const detail = `competitor "${o.source}" is excluded by the strategy`;
    return { observation: o, reason: "excluded_competitor", detail };
  }
  if (now - o.observedAt > maxAgeMs) {
    const detail = `observed ${
      duration(now - o.observedAt)
    } ago; prices older than ${duration(maxAgeMs)} are ignored`;
    return { observation: o, reason: "stale", detail };
  }
  return null;
}

// A crawler can deliver the same competitor twice; only its newest price is
// its price now (on equal times the later row wins).
function newerOfSameSource(
  used: readonly Observation[],
  i: number,
): Observation | null {
  const o = used[i]!;
  for (let j = 0; j < used.length; j++) {
    const other = used[j]!;
    if (j === i || other.source !== o.source) continue;
    if (
      other.observedAt > o.observedAt ||
      (other.observedAt === o.observedAt && j > i)
    ) {
      return other;
    }
  }
  return null;
}

function dropSuperseded(
  used: Observation[],
  excluded: ExcludedObservation[],
): Observation[] {
  let kept: Observation[] | null = null; // copied only when something goes
  for (let i = 0; i < used.length; i++) {
    const newer = newerOfSameSource(used, i);
    if (newer) {
      kept ??= used.slice(0, i);
      const detail =
        `superseded by a newer price of "${newer.source}" (${newer.price})`;
      excluded.push({ observation: used[i]!, reason: "stale", detail });
    } else if (kept) kept.push(used[i]!);
  }
  return kept ?? used;
}

// Scratch space for sorting a handful of prices without allocating per call;
// decide() is synchronous, so no two calls ever share it at the same time.
let scratch = new Float64Array(16);

function sortPrices(used: readonly Observation[], ourPrice: number): number {
  const n = used.length + 1;
  if (scratch.length < n) scratch = new Float64Array(n * 2);
  scratch[0] = ourPrice;
  for (let i = 1; i < n; i++) {
    // Insertion sort: the lists are a few competitors long.
    const v = used[i - 1]!.price;
    let k = i - 1;
    while (k >= 0 && scratch[k]! > v) scratch[k + 1] = scratch[k--]!;
    scratch[k + 1] = v;
  }
  return n;
}

/** Median of the sorted scratch prices with one occurrence of `price` left out. */
function medianWithout(n: number, price: number): number {
  let skip = 0;
  while (scratch[skip] !== price) skip++;
  const m = n - 1;
  if (m % 2 === 1) return sortedAt((m - 1) / 2, skip);
  return (sortedAt(m / 2 - 1, skip) + sortedAt(m / 2, skip)) / 2;
}

function sortedAt(k: number, skip: number): number {
  return scratch[k < skip ? k : k + 1]!;
}

/**
 * Quarantines outliers one at a time, the worst first, judging the rest again
 * without it: a wild price is removed before it can drag the median that
 * judges the others, so adding one far enough out (as a 0.02 or a 1e7 next to
 * phone prices) never changes which of the others are used.
 */
function quarantine(
  used: Observation[],
  excluded: ExcludedObservation[],
  ourPrice: number,
): void {
  while (used.length > 0) {
    const n = sortPrices(used, ourPrice);
    let worst = -1, worstScore = 0, worstMedian = 0;
    for (let i = 0; i < used.length; i++) {
      const price = used[i]!.price;
      const median = medianWithout(n, price);
      const ratio = price / median;
      if (ratio >= OUTLIER_LOW && ratio <= OUTLIER_HIGH) continue;
      const score = ratio > 1 ? ratio : 1 / ratio;
      if (score > worstScore) {
        [worst, worstScore, worstMedian] = [i, score, median];
      }
    }
    if (worst < 0) return;
    const o = used.splice(worst, 1)[0]!;
    const ratio = (o.price / worstMedian).toPrecision(2);
    const detail = `${dollars(o.price)} is ${ratio}× the median ${
      dollars(worstMedian)
    } of the other prices and ours; usable prices lie within ${OUTLIER_LOW}×–${OUTLIER_HIGH}×`;
    excluded.push({ observation: o, reason: "outlier", detail });
  }
}

/**
 * Splits a product's observations into used and excluded (with reasons):
 * invalid, excluded competitor, stale (older than `maxAgeMs` or superseded by
 * the same source), then outliers against the others and `ourPrice`.
 */
export function cleanObservations(
  observations: readonly Observation[],
  lists: Lists,
  ourPrice: number,
  now: number,
  maxAgeMs: number = DEFAULT_MAX_AGE_MS,
): CleanObservations {
  let used: Observation[] = [];
  const excluded: ExcludedObservation[] = [];
  for (const o of observations) {
    const out = screen(o, lists, now, maxAgeMs);
    if (out) excluded.push(out);
    else used.push(o);
  }
  used = dropSuperseded(used, excluded);
  quarantine(used, excluded, ourPrice);
  return { used, excluded };
}
