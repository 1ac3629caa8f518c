/**
 * One product's pricing: the current recommendation and why (waterfall and
 * observations), approval, our applied price against the competitors' over
 * a chosen range, the strategy in force and the recommendations before.
 */
import { TableWrap } from "./Table.tsx";
import {
  type ProductPricing,
  RANGES,
} from "../lib/dashboard/product_pricing.ts";
import type { RecommendationView } from "../lib/dashboard/pricing.ts";
import { money, percent, signedPct } from "../lib/format.ts";
import ApprovalQueue from "../islands/ApprovalQueue.tsx";
import { Badge } from "./Badge.tsx";
import { Kpi } from "./Kpi.tsx";
import { Empty, Panel } from "./Layout.tsx";
import { LineChart, type Series } from "./LineChart.tsx";
import { StatusBadge } from "./StatusBadge.tsx";
import { StrategyFacts } from "./StrategyFacts.tsx";
import { ObservationTables, Waterfall } from "./Waterfall.tsx";

const day = (d: Date) => d.toISOString().slice(5, 16).replace("T", " ");

function ProductKpis({ p }: { p: ProductPricing }) {
  const r = p.recommendation;
  const margin = (p.product.our_price - p.product.unit_cost) /
    p.product.our_price;
  return (
    <div class="kpis">
      <Kpi
        label="Our price"
        value={money(p.product.our_price)}
        sub={`list ${money(p.product.list_price)}`}
      />
      <Kpi
        label="Unit cost"
        value={money(p.product.unit_cost)}
        sub={`margin now ${percent(margin)}`}
      />
      <Kpi
        label="Recommended"
        value={r ? money(r.recommended_price) : "—"}
        sub={r ? <Badge rec={r.recommendation} /> : "no run yet"}
      />
      <Kpi
        label="Bounds"
        value={r ? `${money(r.floor)} – ${money(r.ceiling)}` : "—"}
        sub="floor – ceiling"
      />
    </div>
  );
}

function RecommendationFacts({ r }: { r: RecommendationView }) {
  return (
    <dl class="facts" id="recommendation-facts">
      <dt>Status</dt>
      <dd>
        <StatusBadge status={r.status} />
        {r.decided_by &&
          ` by ${r.decided_by}${
            r.decision_reason ? `: ${r.decision_reason}` : ""
          }`}
      </dd>
      <dt>Computed at</dt>
      <dd data-computed-at={r.computed_at}>
        {day(new Date(r.computed_at))} UTC (run {r.run_id})
      </dd>
      <dt>Change</dt>
      <dd>
        {money(r.current_price)} → {money(r.recommended_price)} (
        {signedPct(r.change_pct)})
      </dd>
      <dt>Expected margin</dt>
      <dd>{percent(r.expected_margin)}</dd>
      <dt>Gap vs competitors</dt>
      <dd>
        {signedPct(r.price_gap_pct)} (average {money(r.avg_competitor_price)})
      </dd>
      <dt>Confidence</dt>
      <dd>{percent(r.confidence)}</dd>
      {r.hold_reason && <dt>Held because</dt>}
      {r.hold_reason && <dd>{r.hold_reason}</dd>}
      {r.flags.length > 0 && <dt>Flags</dt>}
      {r.flags.length > 0 && <dd>{r.flags.join(", ").replaceAll("_", " ")}</dd>}
    </dl>
  );
}

function PriceChart({ p }: { p: ProductPricing }) {
  const names = Object.keys(p.competitors).sort();
  const series: Series[] = [
    {
      name: "Our price",
      cls: "s-ours",
      points: p.ours.map((x) => ({ at: new Date(x.at), value: x.price })),
      step: true,
    },
    ...names.map((n, i): Series => ({
      name: n,
      cls: `s-${i + 1}`,
      points: p.competitors[n]!.map((x) => ({
        at: new Date(x.at),
        value: x.price,
      })),
      step: true,
    })),
  ];
  return (
    <>
      <nav class="range-picker" aria-label="Date range">
        {Object.keys(RANGES).map((r) => (
          <a
            href={`?range=${r}`}
            aria-current={r === p.range ? "true" : undefined}
          >
            {r}
          </a>
        ))}
      </nav>
      <LineChart
        series={series}
        yFormat={money}
        title="Price history: ours vs competitors"
      />
    </>
  );
}

function HistoryTable({ rows }: { rows: RecommendationView[] }) {
  if (rows.length === 0) return <Empty>No recommendations yet.</Empty>;
  return (
    <TableWrap label="Recommendations of this product" columns={7}>
      <table class="data" id="recommendation-history">
        <thead>
          <tr>
            <th>#</th>
            <th>Computed</th>
            <th>Action</th>
            <th class="num">From</th>
            <th class="num">To</th>
            <th>Status</th>
            <th>Decided by</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.recommendation_id}</td>
              <td>{day(new Date(r.computed_at))}</td>
              <td>
                <Badge rec={r.recommendation} />
              </td>
              <td class="num">{money(r.current_price)}</td>
              <td class="num">{money(r.recommended_price)}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>
                {r.decided_by ?? "—"}
                {r.decision_reason && (
                  <span class="muted">: {r.decision_reason}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The waterfall and the competitor prices behind it. */
function WhyPanels({ r }: { r: ProductPricing["recommendation"] }) {
  return (
    <>
      <Panel
        title="Why this price"
        note="each step and the price after it"
        wide
      >
        {r
          ? (
            <Waterfall
              current={r.current_price}
              steps={r.explanation}
              final={r.recommended_price}
            />
          )
          : <Empty>No waterfall before the first run.</Empty>}
      </Panel>
      <Panel
        title="Competitor prices behind it"
        note="used and left out, with why"
      >
        {r
          ? <ObservationTables {...r.observations} />
          : <Empty>No observations yet.</Empty>}
      </Panel>
    </>
  );
}

/** The product page's body. */
export function PricingProductView(
  { p, approvals }: { p: ProductPricing; approvals: boolean },
) {
  const r = p.recommendation;
  return (
    <>
      <p class="muted">
        {p.product.product_id} · {p.product.category} ·{" "}
        <a href="/pricing">all products</a> ·{" "}
        <a href="/pricing/strategies">strategies</a>
      </p>
      <ProductKpis p={p} />
      <Panel title="Current recommendation" note="as the engine stored it">
        {r
          ? <RecommendationFacts r={r} />
          : <Empty>No pricing run has covered this product yet.</Empty>}
        {r?.status === "pending" && (
          <ApprovalQueue items={[r]} enabled={approvals} />
        )}
      </Panel>
      <WhyPanels r={p.recommendation} />
      <Panel
        title="Strategy in force"
        note="product over category over default"
      >
        <StrategyFacts
          strategy={p.strategy.resolved}
          layers={p.strategy.layers}
        />
      </Panel>
      <Panel
        title="Price history: ours vs competitors"
        note="our applied prices and every competitor observation, UTC"
        wide
      >
        <PriceChart p={p} />
      </Panel>
      <Panel title="Recommendations" note="newest first, with their fate" wide>
        <HistoryTable rows={p.history} />
      </Panel>
    </>
  );
}
