/**
 * Pricing: one dot per product, where we stand against the competitors
 * (the gap the run used) and what the engine recommends doing about it.
 */
import type { RecommendationView } from "../lib/dashboard/pricing.ts";
import { signedPct } from "../lib/format.ts";
import { Empty } from "./Panel.tsx";
import { type Point, ScatterChart, SHAPES } from "./ScatterChart.tsx";
import { Legend } from "./charts.tsx";

/** The products with a gap (competitor prices were used), shaped by action, linked to their page. */
function pointsOf(rows: readonly RecommendationView[]): Point[] {
  return rows.filter((r) => r.price_gap_pct !== null).map((r) => ({
    x: r.price_gap_pct!,
    y: r.change_pct,
    cls: r.recommendation,
    name: `${r.product_name} (${r.recommendation})`,
    label: `${r.product_name}: gap ${
      signedPct(r.price_gap_pct)
    }, ${r.recommendation} ${signedPct(r.change_pct)} (${
      r.status.replace("_", " ")
    })`,
    href: `/pricing/${r.product_id}`,
  }));
}

/** Gap against the competitors (x) and the recommended change (y), per product. */
export function PriceGapChart(
  { rows }: { rows: readonly RecommendationView[] },
) {
  const points = pointsOf(rows);
  if (points.length === 0) {
    return (
      <Empty>
        No product has usable competitor prices in its current recommendation
        yet.
      </Empty>
    );
  }
  return (
    <>
      <ScatterChart
        title="Our price gap against the competitors (percent) versus the recommended change (percent)"
        points={points}
        xLabel="Gap vs the competitor prices used (%)"
        yLabel="Recommended change (%)"
        xFormat={(n) => `${n} %`}
        yFormat={(n) => `${n} %`}
      />
      <Legend
        keys={[
          { cls: "raise", label: "raise", shape: SHAPES.raise },
          { cls: "lower", label: "lower", shape: SHAPES.lower },
          { cls: "hold", label: "hold", shape: SHAPES.hold },
        ]}
      />
    </>
  );
}
