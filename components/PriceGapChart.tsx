/** Pricing: one dot per product, its price gap against its demand velocity. */
import type { PricingRow } from "../lib/dashboard/pricing.ts";
import { money0, rate, signedPct } from "../lib/web/format.ts";
import { Empty } from "./Panel.tsx";
import { type Point, ScatterChart, SHAPES } from "./ScatterChart.tsx";
import { Legend } from "./charts.tsx";

/** The products with both a gap and a velocity, colored by recommendation, linked to their history. */
function pointsOf(rows: PricingRow[]): Point[] {
  return rows.filter((r) => r.gapPct !== null && r.demandVelocity !== null)
    .map((r) => ({
      x: r.gapPct!,
      y: r.demandVelocity!,
      cls: r.recommendation ?? "none",
      name: `${r.productName} (${r.recommendation ?? "no recommendation"})`,
      label: `${r.productName}: gap ${signedPct(r.gapPct)}, ${
        rate(r.demandVelocity, "purchases/h")
      }, ${r.recommendation ?? "no recommendation"}`,
      href: `/pricing/${r.productId}`,
    }));
}

function avg(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

export function PriceGapChart({ rows }: { rows: PricingRow[] }) {
  const points = pointsOf(rows);
  // Every product has a row, so no rows at all means the filters matched none.
  if (rows.length === 0) {
    return <Empty>No products match these filters.</Empty>;
  }
  if (points.length === 0) {
    return (
      <Empty>
        No recommendations yet: competitor prices and a pricing run are needed.
      </Empty>
    );
  }
  return (
    <>
      <ScatterChart
        title="Price gap against average competitor (percent) versus demand velocity (purchases per hour)"
        points={points}
        xLabel="Price gap vs average competitor (%)"
        yLabel="Purchases per hour"
        xFormat={(n) => `${n} %`}
        yFormat={(n) => `${n}`}
      />
      <Legend
        keys={[
          { cls: "raise", label: "raise", shape: SHAPES.raise },
          { cls: "lower", label: "lower", shape: SHAPES.lower },
          { cls: "hold", label: "hold", shape: SHAPES.hold },
        ]}
      >
        <span class="muted">
          · our average list price {money0(avg(rows.map((r) => r.ourPrice)))}
        </span>
      </Legend>
    </>
  );
}
