/**
 * The analytics pages: funnel, price position, customer segments (RFM) and
 * demand forecast. Each reads the same report as its `/api/analytics/…`
 * twin, with the window (and elasticity, category) in the URL.
 */
import { type Context, Hono } from "hono";
import type { ComponentChildren } from "preact";
import type { AppContext } from "../lib/web/context.ts";
import { page } from "../lib/web/page.ts";
import type { WindowInfo } from "../lib/analytics/mod.ts";
import { parsed } from "../lib/web/http_error.ts";
import {
  analyticsLimits,
  AnalyticsReports,
} from "../lib/web/analytics_reports.ts";
import {
  type AnalysisName,
  categoryOf,
  elasticityOf,
  keptQuery,
  liveNow,
  type Query,
  queryOf,
  windowOf,
} from "../lib/analytics/params.ts";
import { Layout, Panel } from "../components/Layout.tsx";
import {
  AnalysisPage,
  type WindowOption,
} from "../components/AnalysisPage.tsx";
import { FunnelView } from "../components/AnalyticsFunnel.tsx";
import { PriceView } from "../components/AnalyticsPrice.tsx";
import { CustomersView } from "../components/AnalyticsCustomers.tsx";
import { DemandView } from "../components/AnalyticsDemand.tsx";
import { AnalyticsNav } from "../components/AnalyticsNav.tsx";

const PAGES: Record<
  AnalysisName,
  {
    href: string;
    title: string;
    question: string;
    api: string;
    windows: WindowOption[];
  }
> = {
  funnel: {
    href: "/analytics/funnel",
    title: "Conversion funnel",
    question: "Where do we lose users?",
    api: "/api/analytics/funnel",
    windows: [
      { hours: 1, label: "Last hour" },
      { hours: 6, label: "Last 6 hours" },
      { hours: 24, label: "Last 24 hours" },
      { hours: 168, label: "Last 7 days" },
    ],
  },
  price: {
    href: "/analytics/price",
    title: "Price position",
    question: "Are we priced to win?",
    api: "/api/analytics/price",
    windows: [
      { hours: 24, label: "Last 24 hours" },
      { hours: 168, label: "Last 7 days" },
      { hours: 720, label: "Last 30 days" },
    ],
  },
  rfm: {
    href: "/analytics/customers",
    title: "Customer segments (RFM)",
    question: "Who are our best customers?",
    api: "/api/analytics/rfm",
    windows: [
      { hours: 168, label: "Last 7 days" },
      { hours: 720, label: "Last 30 days" },
      { hours: 2160, label: "Last 90 days" },
    ],
  },
  demand: {
    href: "/analytics/demand",
    title: "Demand forecast",
    question: "What will the next 6 hours look like?",
    api: "/api/analytics/demand",
    windows: [
      { hours: 24, label: "Last 24 hours" },
      { hours: 72, label: "Last 3 days" },
      { hours: 168, label: "Last 7 days" },
    ],
  },
};

/** Reads the page's parameters; a bad one becomes a 400 page naming it. */
const params = parsed;

/** Renders analysis `name` in the shared frame; downloads repeat `hours`, `until` and `keep`. */
function analysisPage(
  c: Context,
  name: AnalysisName,
  o: {
    hours: number;
    window: WindowInfo;
    view: ComponentChildren;
    form?: ComponentChildren;
    keep?: string[];
    extra?: Array<[string, string]>;
  },
) {
  const { question: _, ...p } = PAGES[name];
  const { view, keep = [], ...frame } = o;
  const query = keptQuery(queryOf(c.req), ["hours", "until", ...keep]);
  return page(
    c,
    <AnalysisPage {...p} {...frame} query={query}>{view}</AnalysisPage>,
  );
}

/** GET /analytics: one card per analysis, with its question and links. */
function IndexPage() {
  return (
    <Layout title="Analytics" active="analytics" live={false}>
      <AnalyticsNav active="/analytics" />
      <div class="grid-2">
        {Object.values(PAGES).map((p) => (
          <Panel title={p.title}>
            <p>{p.question}</p>
            <p>
              <a href={p.href}>Open the page</a> · <a href={p.api}>JSON</a> ·
              {" "}
              <a href={`${p.api}.csv`} download>CSV</a>
            </p>
          </Panel>
        ))}
      </div>
    </Layout>
  );
}

async function funnelPage(c: Context, reports: AnalyticsReports) {
  const w = params(() => windowOf(queryOf(c.req), "funnel"));
  const r = await reports.funnel(w);
  return analysisPage(c, "funnel", {
    hours: w.hours,
    window: r.window,
    view: <FunnelView r={r} />,
  });
}

async function pricePage(c: Context, reports: AnalyticsReports) {
  const q = queryOf(c.req);
  const [w, elasticity] = params(() =>
    [windowOf(q, "price"), elasticityOf(q)] as const
  );
  const r = await reports.price(w, elasticity);
  return analysisPage(c, "price", {
    hours: w.hours,
    window: r.window,
    view: <PriceView r={r} />,
    form: <input type="hidden" name="elasticity" value={String(elasticity)} />,
    keep: ["elasticity"],
  });
}

async function customersPage(c: Context, reports: AnalyticsReports) {
  const w = params(() => windowOf(queryOf(c.req), "rfm"));
  const r = await reports.rfm(w);
  return analysisPage(c, "rfm", {
    hours: w.hours,
    window: r.window,
    view: <CustomersView r={r} />,
  });
}

function CategoryPicker(
  { categories, value }: { categories: string[]; value: string | undefined },
) {
  return (
    <label>
      <span>Category</span>
      <select name="category">
        <option value="" selected={!value}>All</option>
        {categories.map((x) => (
          <option value={x} selected={x === value}>{x}</option>
        ))}
      </select>
    </label>
  );
}

async function demandPage(c: Context, reports: AnalyticsReports) {
  const q: Query = queryOf(c.req);
  const w = params(() => windowOf(q, "demand"));
  const r = await reports.demand(w, liveNow(q));
  const categories = r.categories.map((x) => x.category);
  const category = params(() => categoryOf(q, categories));
  const kept = keptQuery(q, ["hours", "until", "category"]);
  return analysisPage(c, "demand", {
    hours: w.hours,
    window: r.window,
    view: <DemandView r={r} category={category} />,
    form: <CategoryPicker categories={categories} value={category} />,
    keep: ["category"],
    extra: [[
      "Stock-out CSV",
      `/api/analytics/demand.csv?${kept ? `${kept}&` : ""}table=stockout`,
    ]],
  });
}

export function analyticsRoutes(
  ctx: AppContext,
  reports = new AnalyticsReports(ctx.sql, analyticsLimits(ctx.config)),
): Hono {
  return new Hono()
    .get("/analytics", (c) => page(c, <IndexPage />))
    .get("/analytics/funnel", (c) => funnelPage(c, reports))
    .get("/analytics/price", (c) => pricePage(c, reports))
    .get("/analytics/customers", (c) => customersPage(c, reports))
    .get("/analytics/demand", (c) => demandPage(c, reports));
}
