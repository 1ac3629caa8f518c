/** The Overview KPI cards, refreshed from the shared live feed. */
import { island } from "../lib/islands/island.ts";
import type { Kpis } from "../lib/dashboard/types.ts";
import { count, money, percent } from "../lib/format.ts";
import { Kpi } from "../components/Kpi.tsx";
import { useLive } from "./use_live.ts";

function LiveKpis({ initial }: { initial: Kpis }) {
  const { snapshot } = useLive();
  const k = snapshot?.kpis ?? initial;
  const r = k.recommendations;
  return (
    <div class="kpis">
      <Kpi
        label="Events"
        value={`${count(k.eventsPerMin)} /min`}
        sub="all streams, last 60 s"
      />
      <Kpi
        label="Revenue today"
        value={money(k.revenueToday)}
        sub={`${count(k.purchasesToday)} purchases since 00:00 UTC`}
        tone="good"
      />
      <Kpi
        label="Conversion rate"
        value={percent(k.conversionRate)}
        sub={`purchases ÷ ${count(k.productViewsToday)} product views today`}
      />
      <Kpi
        label="Low-stock products"
        value={`${count(k.lowStockProducts)} products`}
        sub={`≤ ${count(k.lowStockThreshold)} units in a warehouse`}
        tone={k.lowStockProducts > 0 ? "warn" : undefined}
      />
      <Kpi
        label="Recommendations"
        value={`${count(r.raise + r.lower + r.hold)} products`}
        sub={
          <span class="rec-mix">
            <span class="badge raise">▲ {r.raise}</span>
            <span class="badge lower">▼ {r.lower}</span>
            <span class="badge hold">● {r.hold}</span>
          </span>
        }
      />
    </div>
  );
}

export default island("LiveKpis", LiveKpis);
