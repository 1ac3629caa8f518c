/** The demand-forecast page body. */
import type { DemandReport } from "../lib/analytics/mod.ts";
import { MIN_CURRENT_MINUTES } from "../lib/analytics/demand.ts";
import {
  CRITICAL_HOURS,
  FORECAST_DECAY,
  WARNING_HOURS,
} from "../lib/analytics/forecast.ts";
import { clock, count, rate } from "../lib/format.ts";
import { Kpi } from "./Kpi.tsx";
import { Empty, Panel } from "./Panel.tsx";
import { LineChart, type Series } from "./LineChart.tsx";
import { HeatGrid } from "./HeatGrid.tsx";
import { TableWrap } from "./Table.tsx";
import { StockOut } from "./AnalyticsStockOut.tsx";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function CategoryChart(
  { r, category }: { r: DemandReport; category: string | undefined },
) {
  const c = category
    ? r.categories.find((x) => x.category === category)!
    : r.all;
  if (c.points.length === 0) return <Empty>No hours in this window.</Empty>;
  const last = c.points[c.points.length - 1]!;
  const series: Series[] = [
    {
      name: "Purchases per hour (1-h average)",
      cls: "s-1",
      points: c.points.map((p) => ({ at: new Date(p.hour), value: p.ma1 })),
    },
    {
      name: "3-hour moving average",
      cls: "s-2",
      points: c.points.filter((p) => p.ma3 !== null).map((p) => ({
        at: new Date(p.hour),
        value: p.ma3!,
      })),
    },
    {
      name: "Forecast, next 6 hours",
      cls: "s-3",
      points: [
        { at: new Date(last.hour), value: last.ma1 },
        ...c.forecast.map((f) => ({
          at: new Date(f.hour),
          value: f.purchases,
        })),
      ],
    },
  ];
  return (
    <LineChart
      title={`Hourly purchases of ${
        category ?? "all categories"
      } with moving averages and a 6-hour forecast`}
      series={series.filter((s) => s.points.length > 0)}
      yFormat={(n) => `${n}/h`}
    />
  );
}

type Category = DemandReport["categories"][number];

function RankingRow(
  { rank, total, c, cv, hours }: {
    rank: number;
    total: number;
    c: Category;
    cv: { cv: number | null; rank: number };
    hours: number;
  },
) {
  const next6h = c.forecast.reduce((a, x) => a + x.purchases, 0);
  return (
    <tr>
      <td class="num">{rank}</td>
      <td>
        <a href={`?hours=${hours}&category=${encodeURIComponent(c.category)}`}>
          {c.category}
        </a>
      </td>
      <td class="num">{count(total)} units</td>
      <td class="num">{rate(c.meanPerHour, "/h")}</td>
      <td class="num">{cv.cv?.toFixed(2) ?? "—"}</td>
      <td class="num">{cv.rank}</td>
      <td class="num">{rate(next6h, "units")}</td>
    </tr>
  );
}

function Rankings({ r }: { r: DemandReport }) {
  const cv = new Map(
    r.byCv.map((x, i) => [x.category, { cv: x.cv, rank: i + 1 }]),
  );
  const byName = new Map(r.categories.map((c) => [c.category, c]));
  return (
    <TableWrap label="Categories by volume and variability" columns={7}>
      <table class="data">
        <thead>
          <tr>
            <th class="num">Volume rank</th>
            <th>Category</th>
            <th class="num">Purchases</th>
            <th class="num">Mean</th>
            <th class="num">CV (stdev / mean)</th>
            <th class="num">Variability rank</th>
            <th class="num">Next 6 h (forecast)</th>
          </tr>
        </thead>
        <tbody>
          {r.byVolume.map((v, i) => (
            <RankingRow
              rank={i + 1}
              total={v.total}
              c={byName.get(v.category)!}
              cv={cv.get(v.category)!}
              hours={r.window.hours}
            />
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The purchases in the window, every category together. */
export const demandTotal = (r: DemandReport) =>
  r.byVolume.reduce((a, v) => a + v.total, 0);

export function DemandKpis(
  { r, total = demandTotal(r) }: { r: DemandReport; total?: number },
) {
  const critical = r.stockOut.filter((s) => s.status === "Critical").length;
  const warning = r.stockOut.filter((s) => s.status === "Warning").length;
  return (
    <div class="kpis">
      <Kpi
        label="Purchases"
        value={`${count(total)} units`}
        sub={`in ${r.window.hours} whole hours${
          r.current ? " and the current one" : ""
        }`}
      />
      <Kpi
        label="Critical"
        value={count(critical)}
        sub={`products out of stock in < ${CRITICAL_HOURS} h`}
        tone="warn"
      />
      <Kpi
        label="Warning"
        value={count(warning)}
        sub={`products out of stock in < ${WARNING_HOURS} h`}
      />
    </div>
  );
}

/** Why there is no demand to show; null when there is some. */
export function demandEmpty(r: DemandReport): string | null {
  return demandTotal(r) === 0 ? noPurchases(r) : null;
}

/** Why there is nothing to draw: no purchases, or only in an hour too young to count yet. */
function noPurchases(r: DemandReport): string {
  if (!r.live || r.current) return "No purchases in this window yet.";
  return `No purchases in this window yet: the current hour (since ${
    clock(new Date(r.window.to)).slice(0, 5)
  } UTC) joins once ${MIN_CURRENT_MINUTES} minutes of it have passed.`;
}

function HourlyPanel(
  { r, category, total }: {
    r: DemandReport;
    category: string | undefined;
    total: number;
  },
) {
  const asOf = r.martsRefreshedAt.mart_hourly_demand;
  const now = r.current;
  return (
    <Panel
      title={`Hourly purchases: ${category ?? "all categories"}`}
      note={`units per hour (UTC) · full hours from the hourly mart as of ${
        asOf ? clock(new Date(asOf)) : "its build"
      } UTC${now ? " · the current hour live" : ""}`}
      wide
    >
      {total === 0
        ? <Empty>{noPurchases(r)}</Empty>
        : <CategoryChart r={r} category={category} />}
      {now && (
        <p class="muted" data-current-hour>
          The last point is the current hour: {count(now.purchases)}{" "}
          purchases in its first {now.minutes}{" "}
          minutes, scaled to a full hour (it counts once {MIN_CURRENT_MINUTES}
          {" "}
          minutes have passed).
        </p>
      )}
      <p class="muted">
        Forecast: exponentially weighted mean with a linear trend (decay{" "}
        {FORECAST_DECAY}{" "}
        per hour of age): the weighted least-squares line through the hourly
        series, extended 6 hours and floored at 0.
      </p>
    </Panel>
  );
}

function BuyingHours({ r, total }: { r: DemandReport; total: number }) {
  const cell = new Map(
    r.heatmap.map((h) => [`${h.dow}:${h.hour}`, h.avgPurchases]),
  );
  return (
    <Panel
      title="When do people buy?"
      note="mean purchases per hour, all categories · UTC"
      wide
    >
      {total === 0 ? <Empty>No purchases in this window yet.</Empty> : (
        <HeatGrid
          title="Mean purchases per hour by day of week and hour of day (UTC)"
          rows={DAYS}
          cols={Array.from(
            { length: 24 },
            (_, h) => String(h).padStart(2, "0"),
          )}
          value={(d, h) => cell.get(`${d + 1}:${h}`) ?? null}
          format={(v) => v.toFixed(1)}
          corner="Day (UTC)"
        />
      )}
    </Panel>
  );
}

export function DemandView(
  { r, category }: { r: DemandReport; category: string | undefined },
) {
  const total = demandTotal(r);
  return (
    <>
      <DemandKpis r={r} total={total} />
      <HourlyPanel r={r} category={category} total={total} />
      <Panel
        title="Categories by volume and variability"
        note="CV = population standard deviation / mean of hourly purchases"
        wide
      >
        <Rankings r={r} />
      </Panel>
      <BuyingHours r={r} total={total} />
      <Panel
        title="Hours until stock-out"
        note={`stock on hand / mean forecast rate · Critical < ${CRITICAL_HOURS} h, Warning < ${WARNING_HOURS} h`}
        wide
      >
        <StockOut r={r} />
      </Panel>
    </>
  );
}
