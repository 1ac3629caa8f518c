/** One product's price history: ours vs each competitor, and the engine's runs. */
import type { ProductHistory } from "../lib/dashboard/pricing.ts";
import { money, percent, stamp } from "../lib/web/format.ts";
import { LineChart, type Series } from "./LineChart.tsx";
import { Badge } from "./Badge.tsx";
import { Kpi } from "./Kpi.tsx";
import { Empty, Panel } from "./Layout.tsx";

/** Our price and each competitor's, as step lines (a price holds until it changes). */
function priceSeries(h: ProductHistory): Series[] {
  const names = Object.keys(h.competitors).sort();
  return [
    {
      name: "Our price",
      cls: "s-ours",
      points: h.ours.map((p) => ({ at: p.at, value: p.price })),
      step: true,
    },
    ...names.map((n, i): Series => ({
      name: n,
      cls: `s-${i + 1}`,
      points: h.competitors[n]!.map((p) => ({ at: p.at, value: p.price })),
      step: true,
    })),
  ];
}

/** Current and recommended price per engine run; none below two runs (no line to draw). */
function runSeries(h: ProductHistory): Series[] {
  if (h.runs.length < 2) return [];
  return [
    {
      name: "Current price",
      cls: "s-ours",
      points: h.runs.map((r) => ({ at: r.at, value: r.currentPrice })),
      step: true,
    },
    {
      name: "Recommended price",
      cls: "s-rec",
      points: h.runs.map((r) => ({ at: r.at, value: r.recommendedPrice })),
      step: true,
    },
  ];
}

function HistoryKpis({ h }: { h: ProductHistory }) {
  const last = h.runs[h.runs.length - 1];
  return (
    <div class="kpis">
      <Kpi
        label="Our price"
        value={money(h.product.currentPrice)}
        sub="current list price"
      />
      <Kpi
        label="Latest recommendation"
        value={last ? money(last.recommendedPrice) : "—"}
        sub={last ? <Badge rec={last.recommendation} /> : "no run yet"}
      />
      <Kpi
        label="Confidence"
        value={last ? percent(last.confidence) : "—"}
        sub={last ? stamp(last.at) : "no run yet"}
      />
      <Kpi
        label="Competitor observations"
        value={`${h.ours.length}`}
        sub="most recent 500"
      />
    </div>
  );
}

export function ProductHistoryView({ h }: { h: ProductHistory }) {
  const recs = runSeries(h);
  return (
    <>
      <p class="crumbs">
        <a href="/pricing">← Pricing</a> · {h.product.productId} ·{" "}
        {h.product.category}
      </p>
      <HistoryKpis h={h} />
      <Panel title="Price history: ours vs competitors" note="USD, UTC" wide>
        {h.ours.length === 0
          ? <Empty>No competitor prices observed for this product yet.</Empty>
          : (
            <LineChart
              title={`Price of ${h.product.productName} and its competitors over time, US dollars`}
              series={priceSeries(h)}
              yFormat={money}
            />
          )}
      </Panel>
      <Panel
        title="Pricing engine runs"
        note="current vs recommended price, USD"
        wide
      >
        {recs.length === 0
          ? <Empty>Fewer than two pricing runs for this product so far.</Empty>
          : (
            <LineChart
              title={`Current and recommended price of ${h.product.productName} per pricing run`}
              series={recs}
              yFormat={money}
            />
          )}
      </Panel>
    </>
  );
}
