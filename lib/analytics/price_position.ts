/**
 * Price position: are we priced to win? Our price against competitors', the
 * spread of price gaps over every observation, the engine's raise/lower/hold
 * split, and which competitor undercuts us most on which product.
 *
 * A gap is always `(our − competitor) / competitor × 100` percent, the same
 * sign as the pricing rule's: positive means we are dearer (they undercut us).
 */
import { mean, round } from "./stats.ts";
import { type Action, ACTIONS } from "../pricing/action.ts";

/** One product with its latest competitor average and current recommendation. */
export interface ProductPosition {
  productId: string;
  productName: string;
  category: string;
  /** Our current price ($). */
  ourPrice: number;
  /** Mean of the competitors' latest prices ($); null when none was seen. */
  avgCompetitorPrice: number | null;
  recommendation: Action | null;
  confidence: number | null;
  recommendedPrice: number | null;
}

/** One competitor observation (every one, not only the latest). */
export interface PriceObservation {
  productId: string;
  competitor: string;
  competitorPrice: number;
  ourPrice: number;
}

/** Price gap in percent, rounded to 4 decimals. */
export function gapPct(our: number, competitor: number): number {
  return round(((our - competitor) / competitor) * 100, 4);
}

export interface HistogramBin {
  /** Bin is [from, to) in percent; the last bin also holds its upper edge. */
  from: number;
  to: number;
  count: number;
}

/**
 * Histogram of gaps with fixed-width bins aligned on multiples of `width`
 * (a gap of exactly 5 with width 5 falls in [5, 10)). Bins run without holes
 * from the lowest to the highest gap; no gaps give no bins.
 */
export function gapHistogram(
  gaps: readonly number[],
  width = 5,
): HistogramBin[] {
  if (gaps.length === 0) return [];
  const lo = Math.floor(Math.min(...gaps) / width);
  const hi = Math.floor(Math.max(...gaps) / width);
  const bins = Array.from({ length: hi - lo + 1 }, (_, i): HistogramBin => ({
    from: (lo + i) * width,
    to: (lo + i + 1) * width,
    count: 0,
  }));
  for (const g of gaps) bins[Math.floor(g / width) - lo]!.count++;
  return bins;
}

export interface RecommendationSplit {
  recommendation: Action;
  products: number;
  /** products / products with a recommendation, 4 decimals (null when none). */
  share: number | null;
  avgConfidence: number | null;
  minConfidence: number | null;
  maxConfidence: number | null;
}

/** Count, share and confidence (mean, min, max; 4 decimals) per recommendation. */
export function recommendationSplit(
  products: readonly ProductPosition[],
): RecommendationSplit[] {
  const withRec = products.filter((p) => p.recommendation !== null);
  return ACTIONS.map((recommendation) => {
    const conf = withRec.filter((p) => p.recommendation === recommendation)
      .map((p) => p.confidence ?? 0);
    const m = mean(conf);
    return {
      recommendation,
      products: conf.length,
      share: withRec.length ? round(conf.length / withRec.length, 4) : null,
      avgConfidence: m === null ? null : round(m, 4),
      minConfidence: conf.length ? Math.min(...conf) : null,
      maxConfidence: conf.length ? Math.max(...conf) : null,
    };
  });
}

export interface HeatmapCell {
  competitor: string;
  productId: string;
  observations: number;
  /** Mean gap over the pair's observations (%): higher = they undercut us more. */
  avgGapPct: number;
  /** Share of observations where they were cheaper than us (4 decimals). */
  undercutRate: number;
}

export interface CompetitorSummary {
  competitor: string;
  observations: number;
  avgGapPct: number;
  undercutRate: number;
}

function summarise(obs: readonly PriceObservation[]) {
  const gaps = obs.map((o) => gapPct(o.ourPrice, o.competitorPrice));
  return {
    observations: obs.length,
    avgGapPct: round(mean(gaps) ?? 0, 2),
    undercutRate: round(
      obs.filter((o) => o.competitorPrice < o.ourPrice).length / obs.length,
      4,
    ),
  };
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/**
 * Competitor × product heatmap over all observations and the competitors
 * ranked by mean gap, the one undercutting us most first (ties by name).
 */
export function undercutHeatmap(observations: readonly PriceObservation[]): {
  cells: HeatmapCell[];
  competitors: CompetitorSummary[];
} {
  const cells = [
    ...groupBy(observations, (o) => `${o.competitor}\u0000${o.productId}`)
      .values(),
  ]
    .map((obs) => ({
      competitor: obs[0]!.competitor,
      productId: obs[0]!.productId,
      ...summarise(obs),
    }))
    .sort((a, b) =>
      a.competitor.localeCompare(b.competitor) ||
      a.productId.localeCompare(b.productId)
    );
  const competitors = [...groupBy(observations, (o) => o.competitor).entries()]
    .map(([competitor, obs]) => ({ competitor, ...summarise(obs) }))
    .sort((a, b) =>
      b.avgGapPct - a.avgGapPct || a.competitor.localeCompare(b.competitor)
    );
  return { cells, competitors };
}

export interface PricePositionResult {
  products: Array<ProductPosition & { gapPct: number | null }>;
  histogram: HistogramBin[];
  observations: {
    count: number;
    avgGapPct: number | null;
    dearerRate: number | null;
  };
  split: RecommendationSplit[];
  heatmap: ReturnType<typeof undercutHeatmap>;
}

/**
 * The whole price-position analysis: per-product gap against the competitor
 * average (null without competitor prices), the gap histogram and mean over
 * all observations, the share of observations where we were dearer, the
 * recommendation split and the undercut heatmap.
 */
export function analyzePricePosition(
  products: readonly ProductPosition[],
  observations: readonly PriceObservation[],
  binWidth = 5,
): PricePositionResult {
  const gaps = observations.map((o) => gapPct(o.ourPrice, o.competitorPrice));
  const m = mean(gaps);
  return {
    products: products.map((p) => ({
      ...p,
      gapPct: p.avgCompetitorPrice === null
        ? null
        : round(gapPct(p.ourPrice, p.avgCompetitorPrice), 2),
    })),
    histogram: gapHistogram(gaps, binWidth),
    observations: {
      count: gaps.length,
      avgGapPct: m === null ? null : round(m, 2),
      dearerRate: gaps.length
        ? round(gaps.filter((g) => g > 0).length / gaps.length, 4)
        : null,
    },
    split: recommendationSplit(products),
    heatmap: undercutHeatmap(observations),
  };
}
