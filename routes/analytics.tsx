/**
 * The analytics pages: funnel, price position, customer segments (RFM) and
 * demand forecast. Each reads the same report as its `/api/analytics/…`
 * twin, with the window (and elasticity, category) in the URL.
 */
import { type Context, Hono } from "hono";
import type { ComponentChildren } from "preact";
import type { AppContext } from "../lib/web/context.ts";
import { page } from "../lib/web/page.ts";
import { HttpError } from "../lib/web/http_error.ts";
import {
  demandReport,
  funnelReport,
  priceReport,
  rfmReport,
} from "../lib/analytics/mod.ts";
import { type AnalysisName, elasticityOf, windowOf } from "./analytics_api.ts";
import { Layout, Panel } from "../components/Layout.tsx";
import { Downloads, WindowForm } from "../components/AnalyticsCharts.tsx";
import { FunnelView } from "../components/AnalyticsFunnel.tsx";
import { PriceView } from "../components/AnalyticsPrice.tsx";
import { CustomersView } from "../components/AnalyticsCustomers.tsx";
import { DemandView } from "../components/AnalyticsDemand.tsx";
import { stamp } from "../lib/web/format.ts";
import type { WindowInfo } from "../lib/analytics/mod.ts";

const WINDOWS: Record<AnalysisName, Array<{ hours: number; label: string }>> = {
  funnel: [
    { hours: 1, label: "Last hour" },
    { hours: 6, label: "Last 6 hours" },
    { hours: 24, label: "Last 24 hours" },
    {
      hours: 168,
      label: "Last 7 days",
    },
  ],
  price: [{ hours: 24, label: "Last 24 hours" }, {
    hours: 168,
    label: "Last 7 days",
  }, {
    hours: 720,
    label: "Last 30 days",
  }],
  rfm: [{ hours: 168, label: "Last 7 days" }, {
    hours: 720,
    label: "Last 30 days",
  }, {
    hours: 2160,
    label: "Last 90 days",
  }],
  demand: [{ hours: 24, label: "Last 24 hours" }, {
    hours: 72,
    label: "Last 3 days",
  }, {
    hours: 168,
    label: "Last 7 days",
  }],
};

const PAGES: Record<
  AnalysisName,
  { href: string; title: string; question: string; api: string }
> = {
  funnel: {
    href: "/analytics/funnel",
    title: "Conversion funnel",
    question: "Where do we lose users?",
    api: "/api/analytics/funnel",
  },
  price: {
    href: "/analytics/price",
    title: "Price position",
    question: "Are we priced to win?",
    api: "/api/analytics/price",
  },
  rfm: {
    href: "/analytics/customers",
    title: "Customer segments (RFM)",
    question: "Who are our best customers?",
    api: "/api/analytics/rfm",
  },
  demand: {
    href: "/analytics/demand",
    title: "Demand forecast",
    question: "What will the next 6 hours look like?",
    api: "/api/analytics/demand",
  },
};

/** Reads the page's window; a bad parameter becomes a 400 page naming it. */
function params<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError) throw new HttpError(400, err.message);
    throw err;
  }
}

/** The query string to repeat in download links (only what the user set). */
function queryOf(c: Context, names: string[]): string {
  const q = new URLSearchParams();
  for (const n of names) {
    const v = c.req.query(n);
    if (v) q.set(n, v);
  }
  return q.toString();
}

function WindowNote({ w }: { w: WindowInfo }) {
  return (
    <p class="muted">
      Window: {stamp(new Date(w.from))} → {stamp(new Date(w.to))} ({w.hours} h)
    </p>
  );
}

/** The frame every analysis page shares: window picker, window note, the analysis, downloads. */
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
  const p = PAGES[name];
  return page(
    c,
    <Layout title={p.title} active="analytics" live={false}>
      <WindowForm action={p.href} hours={o.hours} options={WINDOWS[name]}>
        {o.form}
      </WindowForm>
      <WindowNote w={o.window} />
      {o.view}
      <Downloads
        api={p.api}
        query={queryOf(c, ["hours", "until", ...(o.keep ?? [])])}
        extra={o.extra}
      />
    </Layout>,
  );
}

export function analyticsRoutes(ctx: AppContext): Hono {
  const { sql } = ctx;
  return new Hono()
    .get("/analytics", (c) =>
      page(
        c,
        <Layout title="Analytics" active="analytics" live={false}>
          <div class="grid-2">
            {Object.values(PAGES).map((p) => (
              <Panel title={p.title}>
                <p>{p.question}</p>
                <p>
                  <a href={p.href}>Open the page</a> · <a href={p.api}>JSON</a>
                  {" "}
                  · <a href={`${p.api}.csv`} download>CSV</a>
                </p>
              </Panel>
            ))}
          </div>
        </Layout>,
      ))
    .get("/analytics/funnel", async (c) => {
      const w = params(() => windowOf(c, "funnel"));
      const r = await funnelReport(sql, w);
      return analysisPage(c, "funnel", {
        hours: w.hours,
        window: r.window,
        view: <FunnelView r={r} />,
      });
    })
    .get("/analytics/price", async (c) => {
      const [w, elasticity] = params(() =>
        [windowOf(c, "price"), elasticityOf(c)] as const
      );
      const r = await priceReport(sql, w, elasticity);
      return analysisPage(c, "price", {
        hours: w.hours,
        window: r.window,
        view: <PriceView r={r} />,
        form: (
          <input type="hidden" name="elasticity" value={String(elasticity)} />
        ),
        keep: ["elasticity"],
      });
    })
    .get("/analytics/customers", async (c) => {
      const w = params(() => windowOf(c, "rfm"));
      const r = await rfmReport(sql, w);
      return analysisPage(c, "rfm", {
        hours: w.hours,
        window: r.window,
        view: <CustomersView r={r} />,
      });
    })
    .get("/analytics/demand", async (c) => {
      const w = params(() => windowOf(c, "demand"));
      const r = await demandReport(sql, w);
      const category = c.req.query("category") || r.byVolume[0]?.category;
      if (category && !r.categories.some((x) => x.category === category)) {
        throw new HttpError(
          400,
          `Cannot show category "${category}": expected one of ${
            r.categories.map((x) => `"${x.category}"`).join(", ")
          }`,
        );
      }
      const q = queryOf(c, ["hours", "until"]);
      return analysisPage(c, "demand", {
        hours: w.hours,
        window: r.window,
        view: <DemandView r={r} category={category} />,
        form: (
          <label>
            <span>Category</span>
            <select name="category">
              {r.categories.map((x) => (
                <option value={x.category} selected={x.category === category}>
                  {x.category}
                </option>
              ))}
            </select>
          </label>
        ),
        extra: [[
          "Stock-out CSV",
          `/api/analytics/demand.csv?${q ? `${q}&` : ""}table=stockout`,
        ]],
      });
    });
}
