/** The price-position page body. */
import type { PriceReport } from "../lib/analytics/mod.ts";
import { count, money, percent, signedPct, stamp } from "../lib/format.ts";
import { Kpi } from "./Kpi.tsx";
import { Empty, Panel } from "./Panel.tsx";
import { Badge } from "./Badge.tsx";
import { HeatGrid } from "./HeatGrid.tsx";
import { Histogram } from "./Histogram.tsx";
import { Legend } from "./charts.tsx";
import AnalyticsRevenueSim from "../islands/AnalyticsRevenueSim.tsx";
import { LearnedElasticity } from "./LearnedElasticity.tsx";
import { TableWrap } from "./Table.tsx";

const SQUARE = "M-5,-5H5V5H-5Z";

type CompetitorRow = PriceReport["heatmap"]["competitors"][number];

function Competitors({ rows }: { rows: CompetitorRow[] }) {
  return (
    <TableWrap label="Competitors, most undercutting first" columns={4}>
      <table class="data">
        <thead>
          <tr>
            <th>Competitor (most undercutting first)</th>
            <th class="num">Observations</th>
            <th class="num">Mean gap (ours vs theirs)</th>
            <th class="num">Cheaper than us</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr>
              <td>{c.competitor}</td>
              <td class="num">{count(c.observations)}</td>
              <td class="num">{signedPct(c.avgGapPct)}</td>
              <td class="num">{percent(c.undercutRate)} of observations</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Heatmap({ r }: { r: PriceReport }) {
  const { cells, competitors } = r.heatmap;
  if (cells.length === 0) {
    return <Empty>{NO_OBSERVATIONS}</Empty>;
  }
  const nameOf = new Map(r.products.map((p) => [p.productId, p.productName]));
  const products = [...new Set(cells.map((c) => c.productId))].sort();
  const names = competitors.map((c) => c.competitor);
  const at = new Map(
    cells.map((c) => [`${c.competitor}|${c.productId}`, c.avgGapPct]),
  );
  return (
    <>
      <HeatGrid
        title="Mean price gap per product and competitor, percent (positive: they are cheaper than us)"
        corner="Product"
        rows={products.map((id) => nameOf.get(id) ?? id)}
        cols={names}
        value={(i, j) => at.get(`${names[j]}|${products[i]}`) ?? null}
        format={(v) =>
          `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(v).toFixed(1)} %`}
        diverging
      />
      <p class="muted">
        Cell: mean of (our price − their price) / their price over the window's
        observations. Positive (red): they undercut us; negative (green): we are
        cheaper.
      </p>
      <Competitors rows={competitors} />
    </>
  );
}

function Split({ r }: { r: PriceReport }) {
  if (r.split.every((s) => s.products === 0)) {
    return (
      <Empty>No recommendations yet: the pricing engine has not run.</Empty>
    );
  }
  return (
    <TableWrap label="Products per recommendation" columns={5}>
      <table class="data">
        <thead>
          <tr>
            <th>Recommendation</th>
            <th class="num">Products</th>
            <th class="num">Share</th>
            <th class="num">Mean confidence</th>
            <th class="num">Confidence range</th>
          </tr>
        </thead>
        <tbody>
          {r.split.map((s) => (
            <tr>
              <td>
                <Badge rec={s.recommendation} />
              </td>
              <td class="num">{count(s.products)}</td>
              <td class="num">{percent(s.share)}</td>
              <td class="num">{percent(s.avgConfidence)}</td>
              <td class="num">
                {s.minConfidence === null
                  ? "—"
                  : `${percent(s.minConfidence)} – ${percent(s.maxConfidence)}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Products({ r }: { r: PriceReport }) {
  return (
    <TableWrap label="Our price against the competitor average" columns={7}>
      <table class="data" id="price-positions">
        <thead>
          <tr>
            <th>Product</th>
            <th>Category</th>
            <th class="num">Our price</th>
            <th class="num">Avg competitor price</th>
            <th class="num">Gap</th>
            <th>Action</th>
            <th class="num">Confidence</th>
          </tr>
        </thead>
        <tbody>
          {[...r.products].sort((a, b) =>
            (b.gapPct ?? -Infinity) - (a.gapPct ?? -Infinity)
          ).map((p) => (
            <tr>
              <td>
                <a href={`/pricing/${p.productId}`}>{p.productName}</a>
              </td>
              <td>{p.category}</td>
              <td class="num">{money(p.ourPrice)}</td>
              <td class="num">{money(p.avgCompetitorPrice)}</td>
              <td
                class={p.gapPct === null || p.gapPct === 0
                  ? "num"
                  : p.gapPct > 0
                  ? "num neg"
                  : "num pos"}
              >
                {signedPct(p.gapPct)}
              </td>
              <td>
                <Badge rec={p.recommendation} />
              </td>
              <td class="num">{percent(p.confidence)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

const NO_OBSERVATIONS = "No competitor observations in this window.";

/** Why there is no price position to show; null when there is one. */
export function priceEmpty(r: PriceReport): string | null {
  return r.observations.count === 0 ? NO_OBSERVATIONS : null;
}

export function PriceKpis({ r }: { r: PriceReport }) {
  const priced = r.products.filter((p) => p.gapPct !== null);
  const dearer = priced.filter((p) => p.gapPct! > 0).length;
  const delta = r.simulation.totals.revenuePerDayDelta;
  return (
    <div class="kpis">
      <Kpi
        label="Dearer than the competitor average"
        value={`${count(dearer)} of ${count(priced.length)}`}
        sub="products, at the latest competitor prices"
      />
      <Kpi
        label="Mean gap, all observations"
        value={signedPct(r.observations.avgGapPct)}
        sub={`${count(r.observations.count)} observations · we were dearer in ${
          percent(r.observations.dearerRate)
        }`}
      />
      <Kpi
        label="Following every lower"
        value={`${delta >= 0 ? "+" : "−"}${money(Math.abs(delta))}/day`}
        sub={`simulated at elasticity ${r.simulation.elasticity}`}
        tone={delta > 0 ? "good" : delta < 0 ? "warn" : undefined}
      />
    </div>
  );
}

function GapHistogram({ r }: { r: PriceReport }) {
  return (
    <Panel
      title="Distribution of price gaps"
      note="every observation in the window · 5-point bins"
      wide
    >
      {r.histogram.length === 0 ? <Empty>{NO_OBSERVATIONS}</Empty> : (
        <>
          <Histogram
            title="Histogram of price gaps (our price vs competitor price, percent) over all observations"
            bins={r.histogram}
            xLabel="Gap: (our price − competitor price) / competitor price (%)"
            yLabel="Observations"
            xFormat={(n) => `${n} %`}
          />
          <Legend
            keys={[
              {
                cls: "hist-above",
                label: "we are dearer (they undercut us): red, hatched",
                shape: SQUARE,
              },
              {
                cls: "hist-below",
                label: "we are cheaper: green",
                shape: SQUARE,
              },
            ]}
          />
        </>
      )}
    </Panel>
  );
}

function RevenueSimulation({ r }: { r: PriceReport }) {
  const sim = r.simulation;
  return (
    <Panel
      title="Revenue simulation: follow every lower recommendation"
      note="prices in USD, per day"
      wide
    >
      <AnalyticsRevenueSim
        candidates={sim.products.map((p) => ({
          productId: p.productId,
          productName: p.productName,
          currentPrice: p.currentPrice,
          recommendedPrice: p.recommendedPrice,
          confidence: p.confidence,
          unitsInWindow: p.unitsInWindow,
          learnedElasticity: p.elasticitySource === "learned"
            ? p.elasticity
            : null,
        }))}
        windowHours={r.window.hours}
        elasticity={sim.elasticity}
      />
    </Panel>
  );
}

export function PriceView({ r }: { r: PriceReport }) {
  const asOf = r.pricedAt;
  return (
    <>
      <PriceKpis r={r} />
      <div>
        <GapHistogram r={r} />
        <Panel
          title="Raise / lower / hold"
          note={`current recommendations · pricing run of ${
            asOf ? stamp(new Date(asOf)) : "—"
          }`}
          wide
        >
          <Split r={r} />
        </Panel>
      </div>
      <Panel
        title="Who undercuts us most"
        note="competitor × product, mean gap over the window"
        wide
      >
        <Heatmap r={r} />
      </Panel>
      <Panel
        title="Price elasticity learned from our orders"
        note="per category, over the window"
        wide
      >
        <LearnedElasticity r={r} />
      </Panel>
      <RevenueSimulation r={r} />
      <Panel
        title="Our price against the competitor average"
        note="latest competitor prices, USD"
        wide
      >
        {r.products.length === 0
          ? <Empty>No products.</Empty>
          : <Products r={r} />}
      </Panel>
    </>
  );
}
