/** Overview: KPI cards (live), revenue by category, latest recommendations. */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import type { Overview } from "../lib/dashboard/types.ts";
import { overview } from "../lib/dashboard/overview.ts";
import { page } from "../lib/web/page.ts";
import { count, money0, stamp } from "../lib/format.ts";
import { Empty, Layout, Panel } from "../components/Layout.tsx";
import { BarChart } from "../components/BarChart.tsx";
import { LatestRecommendations } from "../components/LatestRecommendations.tsx";
import LiveKpis from "../islands/LiveKpis.tsx";

function RevenueByCategory({ o }: { o: Overview }) {
  const hasRevenue = o.revenueByCategory.some((r) => r.revenue > 0);
  return (
    <Panel title="Revenue by category" note="today, USD">
      {hasRevenue
        ? (
          <BarChart
            title="Revenue by category today in US dollars"
            format={money0}
            bars={o.revenueByCategory.map((r) => ({
              label: r.category,
              value: r.revenue,
            }))}
          />
        )
        : <Empty>No purchases yet today.</Empty>}
    </Panel>
  );
}

function Throughput({ o }: { o: Overview }) {
  return (
    <Panel title="Throughput" note="events per minute, by stream">
      {o.throughput.every((t) => t.last15Min === 0)
        ? <Empty>No events in the last 15 minutes.</Empty>
        : (
          <BarChart
            title="Events committed in the last minute, per stream"
            format={(n) => `${count(n)} /min`}
            bars={o.throughput.map((t) => ({
              label: t.stream,
              value: t.lastMinute,
            }))}
          />
        )}
    </Panel>
  );
}

function OverviewPage({ o }: { o: Overview }) {
  const newest = o.latestRecommendations[0];
  return (
    <Layout title="Overview" active="overview">
      <LiveKpis initial={o.kpis} />
      <div class="grid-2 right-wide">
        <div class="stack">
          <RevenueByCategory o={o} />
          <Throughput o={o} />
        </div>
        <Panel
          title="Latest recommendations"
          note={newest ? stamp(newest.createdAt) : undefined}
        >
          <LatestRecommendations rows={o.latestRecommendations} />
        </Panel>
      </div>
    </Layout>
  );
}

/** GET /: the live KPI cards, revenue and throughput charts, latest recommendations. */
async function overviewPage(ctx: AppContext, c: Context) {
  const o = await overview(ctx.sql, ctx.config.lowStockThreshold);
  return page(c, <OverviewPage o={o} />);
}

export function overviewRoutes(ctx: AppContext): Hono {
  return new Hono()
    .get(
      "/api/overview",
      async (c) =>
        c.json(await overview(ctx.sql, ctx.config.lowStockThreshold)),
    )
    .get("/", (c) => overviewPage(ctx, c));
}
