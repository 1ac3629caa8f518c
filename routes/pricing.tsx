/**
 * Pricing: every product's current recommendation as the engine stored it,
 * the queue of recommendations waiting for approval, and a manual run.
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import {
  type Pricing,
  pricing,
  type PricingFilter,
  type RecommendationView,
  STATUSES,
} from "../lib/dashboard/pricing.ts";
import { RECOMMENDATIONS } from "../lib/dashboard/types.ts";
import { type FilterOptions, filterOptions } from "../lib/dashboard/filters.ts";
import { oneOf, page, sortOf } from "../lib/web/page.ts";
import { requireToken } from "../lib/web/auth.ts";
import { runPricing } from "../lib/pricing/engine.ts";
import { pricingOptionsFrom } from "../lib/pricing/thresholds.ts";
import { money, percent } from "../lib/format.ts";
import { Layout, Panel } from "../components/Layout.tsx";
import { FilterBar } from "../components/FilterBar.tsx";
import { Kpi } from "../components/Kpi.tsx";
import { PriceGapChart } from "../components/PriceGapChart.tsx";
import SortableTable, { type Column } from "../islands/SortableTable.tsx";
import ApprovalQueue from "../islands/ApprovalQueue.tsx";

type Sort = { sort: string; dir: "asc" | "desc" };

/** The filters from the URL (each checked against what exists) and the rows they select. */
async function read(ctx: AppContext, c: Context) {
  const opts = await filterOptions(ctx.sql);
  const filter: PricingFilter = {
    category: oneOf(c, "category", opts.categories),
    recommendation: oneOf(c, "recommendation", RECOMMENDATIONS),
    status: oneOf(c, "status", STATUSES),
  };
  return { opts, filter, data: await pricing(ctx.sql, filter) };
}

const COLUMNS: Column[] = [
  { key: "productName", label: "Product", kind: "product" },
  { key: "category", label: "Category", kind: "text" },
  { key: "our_price", label: "Our price", kind: "money" },
  { key: "recommended_price", label: "Recommended", kind: "money" },
  { key: "change_pct", label: "Change", kind: "signedPct" },
  { key: "recommendation", label: "Action", kind: "badge" },
  { key: "status", label: "Status", kind: "status" },
  { key: "expected_margin", label: "Margin", kind: "percent" },
  { key: "floor", label: "Floor", kind: "money" },
  { key: "ceiling", label: "Ceiling", kind: "money" },
  { key: "price_gap_pct", label: "Gap vs avg", kind: "signedPct" },
  { key: "confidence", label: "Confidence", kind: "percent" },
  { key: "computed_at", label: "Computed (UTC)", kind: "time" },
];

/** Flat rows for the table: the stored numbers, nothing recomputed. */
function rowsOf(recs: RecommendationView[]) {
  return recs.map((r) => ({
    productId: r.product_id,
    productName: r.product_name,
    category: r.category,
    our_price: r.our_price,
    recommended_price: r.recommended_price,
    change_pct: r.change_pct,
    recommendation: r.recommendation,
    status: r.status,
    expected_margin: r.expected_margin,
    floor: r.floor,
    ceiling: r.ceiling,
    price_gap_pct: r.price_gap_pct,
    confidence: r.confidence,
    computed_at: r.computed_at,
  }));
}

function PricingFilters(
  { opts, filter, sort }: {
    opts: FilterOptions;
    filter: PricingFilter;
    sort: Sort;
  },
) {
  const options = (values: readonly string[]) =>
    values.map((v) => ({ value: v, label: v.replace("_", " ") }));
  return (
    <FilterBar
      action="/pricing"
      sort={sort}
      filters={[
        {
          name: "category",
          label: "Category",
          value: filter.category,
          options: options(opts.categories),
        },
        {
          name: "recommendation",
          label: "Action",
          value: filter.recommendation,
          options: options(RECOMMENDATIONS),
        },
        {
          name: "status",
          label: "Status",
          value: filter.status,
          options: options(STATUSES),
        },
      ]}
    />
  );
}

function PricingKpis({ data }: { data: Pricing }) {
  const recs = data.recommendations;
  const margins = recs.map((r) => r.expected_margin);
  const run = data.last_run;
  return (
    <div class="kpis">
      <Kpi
        label="Awaiting approval"
        value={String(recs.filter((r) => r.status === "pending").length)}
        sub="recommendations"
      />
      <Kpi
        label="Last run"
        value={run ? run.finished_at.slice(11, 16) + " UTC" : "—"}
        sub={run
          ? `${run.products} products · ${run.auto_applied} auto-applied`
          : "the engine runs every minute"}
      />
      <Kpi
        label="Expected margin"
        value={margins.length
          ? percent(margins.reduce((a, b) => a + b, 0) / margins.length)
          : "—"}
        sub="mean over the recommended prices"
      />
      <Kpi
        label="Revenue at stake"
        value={money(
          recs.filter((r) => r.status === "pending")
            .reduce(
              (s, r) => s + Math.abs(r.recommended_price - r.current_price),
              0,
            ),
        )}
        sub="sum of pending price moves, per unit"
      />
    </div>
  );
}

function PricingPage(
  { opts, filter, data, sort, approvals, filtered }: {
    opts: FilterOptions;
    filter: PricingFilter;
    data: Pricing;
    sort: Sort;
    approvals: boolean;
    filtered: boolean;
  },
) {
  const pending = data.recommendations.filter((r) => r.status === "pending");
  return (
    <Layout title="Pricing" active="pricing">
      {data.gate && (
        <p class="notice warn" id="quality-gate" role="status">
          Auto-apply is paused:{" "}
          {data.gate}. Recommendations still wait for approval.
        </p>
      )}
      <PricingKpis data={data} />
      <PricingFilters opts={opts} filter={filter} sort={sort} />
      <Panel
        title="Waiting for approval"
        note="approving applies the price at once · token kept for this tab only"
        wide
      >
        <ApprovalQueue items={pending} enabled={approvals} />
      </Panel>
      <Panel
        title="Recommendations"
        note="prices in USD, as stored by the engine · gap vs the competitor prices it used · "
        wide
      >
        <p class="muted">
          <a href="/pricing/strategies">Strategies and guardrails</a>
        </p>
        <SortableTable
          columns={COLUMNS}
          rows={rowsOf(data.recommendations)}
          sort={sort.sort}
          dir={sort.dir}
          empty={filtered
            ? "No recommendations match these filters."
            : "No recommendations yet: the pricing engine runs every minute."}
        />
      </Panel>
      <Panel
        title="Where we stand and what to do"
        note="gap vs the competitor prices each run used · recommended change · click a dot for the product"
        wide
      >
        <PriceGapChart rows={data.recommendations} />
      </Panel>
    </Layout>
  );
}

/** GET /pricing: the approval queue and the table (sorted as the URL says). */
async function pricingPage(ctx: AppContext, c: Context) {
  const { opts, filter, data } = await read(ctx, c);
  const sort = sortOf(c, COLUMNS.map((col) => col.key), {
    sort: "status",
    dir: "asc",
  });
  const filtered = Object.values(filter).some((v) => v !== undefined);
  return page(
    c,
    <PricingPage
      opts={opts}
      filter={filter}
      data={data}
      sort={sort}
      approvals={ctx.config.apiToken !== ""}
      filtered={filtered}
    />,
  );
}

/** POST /api/pricing/run: one pricing cycle now. */
async function runNow(ctx: AppContext, c: Context) {
  return c.json(
    await runPricing(ctx.sql, pricingOptionsFrom(ctx.config)),
    201,
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
      (c) => runNow(ctx, c),
    )
    .get("/pricing", (c) => pricingPage(ctx, c));
}
