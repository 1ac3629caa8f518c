/** Overview: KPI cards (live), revenue by category, latest recommendations. */
import { Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { overview } from "../lib/dashboard/overview.ts";
import { page } from "../lib/web/page.ts";
import {
  count,
  money,
  money0,
  percent,
  signedPct,
  stamp,
} from "../lib/web/format.ts";
import { Empty, Layout, Panel } from "../components/Layout.tsx";
import { BarChart } from "../components/charts.tsx";
import { Badge } from "../components/Badge.tsx";
import LiveKpis from "../islands/LiveKpis.tsx";

export function overviewRoutes(ctx: AppContext): Hono {
  const threshold = ctx.config.lowStockThreshold;
  return new Hono()
    .get(
      "/api/overview",
      async (c) => c.json(await overview(ctx.sql, threshold)),
    )
    .get("/", async (c) => {
      const o = await overview(ctx.sql, threshold);
      const hasRevenue = o.revenueByCategory.some((r) => r.revenue > 0);
      return page(
        c,
        <Layout title="Overview" active="overview">
          <LiveKpis initial={o.kpis} />
          <div class="grid-2 right-wide">
            <div class="stack">
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
            </div>
            <Panel
              title="Latest recommendations"
              note={o.latestRecommendations[0]
                ? stamp(o.latestRecommendations[0].createdAt)
                : undefined}
            >
              {o.latestRecommendations.length === 0
                ? (
                  <Empty>
                    No recommendations yet: the pricing engine runs every minute
                    once competitor prices arrive.
                  </Empty>
                )
                : (
                  <div class="table-wrap">
                    <table class="data" id="latest-recommendations">
                      <thead>
                        <tr>
                          <th>Product</th>
                          <th>Action</th>
                          <th class="num">Current</th>
                          <th class="num">Recommended</th>
                          <th class="num">Gap</th>
                          <th class="num">Confidence</th>
                        </tr>
                      </thead>
                      <tbody>
                        {o.latestRecommendations.map((r) => (
                          <tr data-product={r.productId}>
                            <td>
                              <a href={`/pricing/${r.productId}`}>
                                {r.productName}
                              </a>
                            </td>
                            <td>
                              <Badge rec={r.recommendation} />
                            </td>
                            <td class="num">{money(r.currentPrice)}</td>
                            <td class="num">{money(r.recommendedPrice)}</td>
                            <td class="num">{signedPct(r.priceGapPct)}</td>
                            <td class="num">{percent(r.confidence)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
            </Panel>
          </div>
        </Layout>,
      );
    });
}
