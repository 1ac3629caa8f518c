/** Pricing: every product against its competitors, and one product's history. */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import {
  type Pricing,
  pricing,
  type PricingFilter,
  productHistory,
} from "../lib/dashboard/pricing.ts";
import { RECOMMENDATIONS } from "../lib/dashboard/types.ts";
import { type FilterOptions, filterOptions } from "../lib/dashboard/filters.ts";
import { oneOf, page, sortOf } from "../lib/web/page.ts";
import { HttpError } from "../lib/web/http_error.ts";
import { requireToken } from "../lib/web/auth.ts";
import { runPricing } from "../lib/pricing/engine.ts";
import { thresholdsFrom } from "../lib/pricing/thresholds.ts";
import { Layout, Panel } from "../components/Layout.tsx";
import { FilterBar } from "../components/FilterBar.tsx";
import { PriceGapChart } from "../components/PriceGapChart.tsx";
import { ProductHistoryView } from "../components/ProductHistory.tsx";
import SortableTable, { type Column } from "../islands/SortableTable.tsx";

type Sort = { sort: string; dir: "asc" | "desc" };

/** The filters from the URL (each checked against what exists) and the rows they select. */
async function read(ctx: AppContext, c: Context) {
  const opts = await filterOptions(ctx.sql);
  const filter: PricingFilter = {
    category: oneOf(c, "category", opts.categories),
    recommendation: oneOf(c, "recommendation", RECOMMENDATIONS),
  };
  return { opts, filter, data: await pricing(ctx.sql, filter) };
}

async function historyOf(ctx: AppContext, id: string) {
  const h = await productHistory(ctx.sql, id);
  if (!h) {
    throw new HttpError(404, `Cannot show product "${id}": no such product`);
  }
  return h;
}

/** The table's columns: the product, one per competitor, then the engine's verdict. */
function columnsOf(competitors: string[]): Column[] {
  return [
    { key: "productName", label: "Product", kind: "product" },
    { key: "category", label: "Category", kind: "text" },
    { key: "ourPrice", label: "Our price", kind: "money" },
    ...competitors.map((n): Column => ({ key: n, label: n, kind: "money" })),
    { key: "gapPct", label: "Gap vs avg", kind: "signedPct" },
    { key: "demandVelocity", label: "Velocity", kind: "velocity" },
    { key: "recommendation", label: "Action", kind: "badge" },
    { key: "confidence", label: "Confidence", kind: "percent" },
    { key: "recommendedPrice", label: "Recommended", kind: "money" },
  ];
}

/** One flat row per product, competitors' prices as columns. */
function rowsOf(data: Pricing) {
  return data.rows.map(({ competitors, avgCompetitorPrice: _, ...r }) => ({
    ...r,
    ...competitors,
  }));
}

function PricingFilters(
  { opts, filter, sort }: {
    opts: FilterOptions;
    filter: PricingFilter;
    sort: Sort;
  },
) {
  return (
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
  );
}

function PricingPage(
  { opts, filter, data, sort }: {
    opts: FilterOptions;
    filter: PricingFilter;
    data: Pricing;
    sort: Sort;
  },
) {
  return (
    <Layout title="Pricing" active="pricing">
      <PricingFilters opts={opts} filter={filter} sort={sort} />
      <Panel
        title="Products against competitors"
        note="prices in USD · velocity in purchases per hour at the last run"
        wide
      >
        <SortableTable
          columns={columnsOf(data.competitors)}
          rows={rowsOf(data)}
          sort={sort.sort}
          dir={sort.dir}
          empty="No products match these filters."
        />
      </Panel>
      <Panel
        title="Price gap vs demand velocity"
        note="one dot per product · click for its history"
      >
        <PriceGapChart rows={data.rows} />
      </Panel>
    </Layout>
  );
}

/** GET /pricing: the table (sorted as the URL says) and the gap chart. */
async function pricingPage(ctx: AppContext, c: Context) {
  const { opts, filter, data } = await read(ctx, c);
  const keys = columnsOf(data.competitors).map((col) => col.key);
  const sort = sortOf(c, keys, { sort: "gapPct", dir: "desc" });
  return page(
    c,
    <PricingPage opts={opts} filter={filter} data={data} sort={sort} />,
  );
}

/** GET /pricing/:id: one product's price history and its pricing runs. */
async function historyPage(ctx: AppContext, c: Context) {
  const h = await historyOf(ctx, c.req.param("id")!);
  return page(
    c,
    <Layout title={h.product.productName} active="pricing" live={false}>
      <ProductHistoryView h={h} />
    </Layout>,
  );
}

export function pricingRoutes(ctx: AppContext): Hono {
  return new Hono()
    .get("/api/pricing", async (c) => {
      const { filter, data } = await read(ctx, c);
      return c.json({ filter, ...data });
    })
    .post(
      "/api/pricing/run",
      requireToken(ctx.config.apiToken),
      async (c) =>
        c.json(await runPricing(ctx.sql, thresholdsFrom(ctx.config)), 201),
    )
    .get(
      "/api/pricing/:id",
      async (c) => c.json(await historyOf(ctx, c.req.param("id"))),
    )
    .get("/pricing/:id", (c) => historyPage(ctx, c))
    .get("/pricing", (c) => pricingPage(ctx, c));
}
