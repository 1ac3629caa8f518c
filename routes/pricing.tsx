/** Pricing: every product against its competitors, and one product's history. */
import { Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { pricing, productHistory } from "../lib/dashboard/pricing.ts";
import { RECOMMENDATIONS } from "../lib/dashboard/types.ts";
import { filterOptions } from "../lib/dashboard/filters.ts";
import { oneOf, page, sortOf } from "../lib/web/page.ts";
import { HttpError } from "../lib/web/http_error.ts";
import { requireToken } from "../lib/web/auth.ts";
import { money0, rate, signedPct } from "../lib/web/format.ts";
import { Empty, Layout, Panel } from "../components/Layout.tsx";
import { ScatterChart } from "../components/charts.tsx";
import { FilterBar } from "../components/FilterBar.tsx";
import { ProductHistoryView } from "../components/ProductHistory.tsx";
import SortableTable, { type Column } from "../islands/SortableTable.tsx";
import { runPricing } from "../lib/pricing/engine.ts";
import { thresholds } from "../workers/jobs.ts";

export function pricingRoutes(ctx: AppContext): Hono {
  const read = async (c: Parameters<typeof oneOf>[0]) => {
    const opts = await filterOptions(ctx.sql);
    const filter = {
      category: oneOf(c, "category", opts.categories),
      recommendation: oneOf(c, "recommendation", RECOMMENDATIONS),
    };
    return { opts, filter, data: await pricing(ctx.sql, filter) };
  };
  const history = async (id: string) => {
    const h = await productHistory(ctx.sql, id);
    if (!h) {
      throw new HttpError(404, `Cannot show product "${id}": no such product`);
    }
    return h;
  };
  return new Hono()
    .get("/api/pricing", async (c) => {
      const { filter, data } = await read(c);
      return c.json({ filter, ...data });
    })
    .post("/api/pricing/run", requireToken(ctx.config.apiToken), async (c) => {
      return c.json(await runPricing(ctx.sql, thresholds(ctx.config)), 201);
    })
    .get(
      "/api/pricing/:id",
      async (c) => c.json(await history(c.req.param("id"))),
    )
    .get("/pricing/:id", async (c) => {
      const h = await history(c.req.param("id"));
      return page(
        c,
        <Layout title={h.product.productName} active="pricing" live={false}>
          <ProductHistoryView h={h} />
        </Layout>,
      );
    })
    .get("/pricing", async (c) => {
      const { opts, filter, data } = await read(c);
      const keys = [
        "productName",
        "category",
        "ourPrice",
        ...data.competitors,
        "gapPct",
        "demandVelocity",
        "recommendation",
        "confidence",
        "recommendedPrice",
      ];
      const sort = sortOf(c, keys, { sort: "gapPct", dir: "desc" });
      const columns: Column[] = [
        { key: "productName", label: "Product", kind: "product" },
        { key: "category", label: "Category", kind: "text" },
        { key: "ourPrice", label: "Our price", kind: "money" },
        ...data.competitors.map((n): Column => ({
          key: n,
          label: n,
          kind: "money",
        })),
        { key: "gapPct", label: "Gap vs avg", kind: "signedPct" },
        { key: "demandVelocity", label: "Velocity", kind: "velocity" },
        { key: "recommendation", label: "Action", kind: "badge" },
        { key: "confidence", label: "Confidence", kind: "percent" },
        { key: "recommendedPrice", label: "Recommended", kind: "money" },
      ];
      const rows = data.rows.map((
        { competitors, avgCompetitorPrice: _, ...r },
      ) => ({ ...r, ...competitors }));
      const points = data.rows.filter((r) =>
        r.gapPct !== null && r.demandVelocity !== null
      ).map((r) => ({
        x: r.gapPct!,
        y: r.demandVelocity!,
        cls: r.recommendation ?? "none",
        label: `${r.productName}: gap ${signedPct(r.gapPct)}, ${
          rate(r.demandVelocity, "purchases/h")
        }, ${r.recommendation ?? "no recommendation"}`,
        href: `/pricing/${r.productId}`,
      }));
      return page(
        c,
        <Layout title="Pricing" active="pricing">
          <FilterBar
            action="/pricing"
            sort={sort}
            filters={[
              {
                name: "category",
                label: "Category",
                value: filter.category,
                options: opts.categories.map((v) => ({ value: v, label: v })),
              },
              {
                name: "recommendation",
                label: "Recommendation",
                value: filter.recommendation,
                options: RECOMMENDATIONS.map((v) => ({ value: v, label: v })),
              },
            ]}
          />
          <Panel
            title="Products against competitors"
            note="prices in USD · velocity in purchases per hour at the last run"
            wide
          >
            <SortableTable
              columns={columns}
              rows={rows}
              sort={sort.sort}
              dir={sort.dir}
              empty="No products match these filters."
            />
          </Panel>
          <Panel
            title="Price gap vs demand velocity"
            note="one dot per product · click for its history"
          >
            {points.length === 0
              ? (
                <Empty>
                  No recommendations yet: competitor prices and a pricing run
                  are needed.
                </Empty>
              )
              : (
                <>
                  <ScatterChart
                    title="Price gap against average competitor (percent) versus demand velocity (purchases per hour)"
                    points={points}
                    xLabel="Price gap vs average competitor (%)"
                    yLabel="Purchases per hour"
                    xFormat={(n) => `${n} %`}
                    yFormat={(n) => `${n}`}
                  />
                  <p class="legend">
                    <span class="key raise">raise</span>{" "}
                    <span class="key lower">lower</span>{" "}
                    <span class="key hold">hold</span>
                    <span class="muted">
                      · our average list price{" "}
                      {money0(avg(data.rows.map((r) => r.ourPrice)))}
                    </span>
                  </p>
                </>
              )}
          </Panel>
        </Layout>,
      );
    });
}

function avg(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}
