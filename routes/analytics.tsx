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
import {
  describeError,
  isDatabaseDown,
  parsed,
} from "../lib/web/http_error.ts";
import { logger } from "../lib/log.ts";
import { DEFAULT_ELASTICITY } from "../lib/analytics/revenue_simulation.ts";
import {
  analyticsLimits,
  AnalyticsReports,
} from "../lib/web/analytics_reports.ts";
import {
  type AnalysisName,
  categoryOf,
  DEFAULT_HOURS,
  elasticityOf,
  keptQuery,
  liveNow,
  type Query,
  queryOf,
  windowOf,
} from "../lib/analytics/params.ts";
import { Empty, Layout, Panel } from "../components/Layout.tsx";
import {
  AnalysisPage,
  type WindowOption,
} from "../components/AnalysisPage.tsx";
import {
  funnelEmpty,
  FunnelKpis,
  FunnelView,
} from "../components/AnalyticsFunnel.tsx";
import {
  priceEmpty,
  PriceKpis,
  PriceView,
} from "../components/AnalyticsPrice.tsx";
import {
  CustomerKpis,
  customersEmpty,
  CustomersView,
} from "../components/AnalyticsCustomers.tsx";
import {
  demandEmpty,
  DemandKpis,
  DemandView,
} from "../components/AnalyticsDemand.tsx";
import { AnalyticsNav } from "../components/AnalyticsNav.tsx";

const log = logger("web");

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

/**
 * GET /analytics: one card per analysis with its question, its headline
 * figures over its default window (ending at `?until=`, or now), and links.
 * A report that fails leaves its card saying why; the others still show.
 */
async function indexPage(c: Context, reports: AnalyticsReports) {
  const q = queryOf(c.req);
  // Each card reads its own default window: only `until` applies to all four.
  const at: Query = (name) => name === "until" ? q("until") : undefined;
  const [funnel, price, rfm, demand] = await defaultReports(reports, at);
  const kept = keptQuery(at, ["until"]);
  return page(
    c,
    <Layout title="Analytics" active="analytics" live={false}>
      <AnalyticsNav active="/analytics" />
      <IndexCard name="funnel" kept={kept}>
        {figures(
          c,
          funnel,
          (r) => funnelEmpty(r) ?? <FunnelKpis r={r} />,
        )}
      </IndexCard>
      <IndexCard name="price" kept={kept}>
        {figures(
          c,
          price,
          (r) => priceEmpty(r) ?? <PriceKpis r={r} />,
        )}
      </IndexCard>
      <IndexCard name="rfm" kept={kept}>
        {figures(
          c,
          rfm,
          (r) => customersEmpty(r) ?? <CustomerKpis r={r} />,
        )}
      </IndexCard>
      <IndexCard name="demand" kept={kept}>
        {figures(
          c,
          demand,
          (r) => demandEmpty(r) ?? <DemandKpis r={r} />,
        )}
      </IndexCard>
    </Layout>,
  );
}

/** The four reports over their default windows ending at `at`'s `until`, each settled on its own. */
function defaultReports(reports: AnalyticsReports, at: Query) {
  const windows = params(() => ({
    funnel: windowOf(at, "funnel"),
    price: windowOf(at, "price"),
    rfm: windowOf(at, "rfm"),
    demand: windowOf(at, "demand"),
  }));
  return Promise.allSettled([
    reports.funnel(windows.funnel),
    reports.price(windows.price, DEFAULT_ELASTICITY),
    reports.rfm(windows.rfm),
    reports.demand(windows.demand, liveNow(at)),
  ]);
}

/** One analysis on the index: what it answers, over which window, and where to read more. */
function IndexCard(
  { name, kept, children }: {
    name: AnalysisName;
    kept: string;
    children: ComponentChildren;
  },
) {
  const p = PAGES[name];
  const window = p.windows.find((w) => w.hours === DEFAULT_HOURS[name]);
  const qs = kept ? `?${kept}` : "";
  return (
    <Panel
      title={p.title}
      note={`${window?.label ?? `Last ${DEFAULT_HOURS[name]} hours`}${
        kept ? " up to the given time" : ""
      }`}
      wide
    >
      <p>{p.question}</p>
      {children}
      <p>
        <a href={`${p.href}${qs}`}>Open the page</a> ·{" "}
        <a href={`${p.api}${qs}`}>JSON</a> ·{" "}
        <a href={`${p.api}.csv${qs}`} download>CSV</a>
      </p>
    </Panel>
  );
}

/**
 * A card's figures: `show`'s KPIs, or its empty-state sentence, or why the
 * report failed. A database that cannot be reached fails the whole page, as
 * on every other page.
 */
function figures<R>(
  c: Context,
  s: PromiseSettledResult<R>,
  show: (r: R) => ComponentChildren,
): ComponentChildren {
  if (s.status === "fulfilled") {
    const shown = show(s.value);
    return typeof shown === "string" ? <Empty>{shown}</Empty> : shown;
  }
  const err = s.reason;
  if (isDatabaseDown(err)) throw err;
  const { message, expected } = describeError(err);
  if (!expected) {
    log.error("analytics headline failed", { path: c.req.path, error: err });
  }
  // One expression: text and an expression side by side in a component's
  // children are escaped twice by the precompile JSX transform.
  return <Empty>{`These figures are not available: ${message}`}</Empty>;
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
    .get("/analytics", (c) => indexPage(c, reports))
    .get("/analytics/funnel", (c) => funnelPage(c, reports))
    .get("/analytics/price", (c) => pricePage(c, reports))
    .get("/analytics/customers", (c) => customersPage(c, reports))
    .get("/analytics/demand", (c) => demandPage(c, reports));
}
