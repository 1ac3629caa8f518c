/** The backtest page body: what each strategy earned, its margin day by day, price paths, learned elasticity. */
import type { StoredBacktest } from "../lib/backtest/store.ts";
import { count, money, money0, signedPct, stamp } from "../lib/format.ts";
import { Kpi } from "./Kpi.tsx";
import { Empty, Panel } from "./Layout.tsx";
import { LineChart, type Series } from "./LineChart.tsx";
import { DataTable } from "./Table.tsx";
import { DAY_MS } from "../lib/time.ts";

const COMPACT_USD = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  maximumFractionDigits: 2,
});
/** "$1.2M": axis labels that fit the margin. */
const compact = (n: number) => COMPACT_USD.format(n);

/** One line style per strategy, the same on both charts. */
const STYLE: Record<string, string> = {
  static: "s-4",
  "seed-rule": "s-2",
  engine: "s-1",
  optimize: "s-ours",
};
const styleOf = (name: string) => STYLE[name] ?? "s-3";

/** "Nov 5": the simulated date. */
const day = (d: Date) =>
  d.toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });

function uplift(b: StoredBacktest, name: string, base: string) {
  const s = b.strategies.find((x) => x.name === name)?.gross_margin;
  const v = b.strategies.find((x) => x.name === base)?.gross_margin;
  return s !== undefined && v ? (s / v - 1) * 100 : null;
}

function BacktestKpis({ b }: { b: StoredBacktest }) {
  const best =
    [...b.strategies].sort((x, y) => y.gross_margin - x.gross_margin)[0];
  const violations = b.strategies.reduce((n, s) => n + s.violations, 0);
  return (
    <div class="kpis">
      <Kpi
        label="Best gross margin"
        value={best ? money0(best.gross_margin) : "—"}
        sub={best?.name}
      />
      <Kpi
        label="optimize vs static"
        value={signedPct(uplift(b, "optimize", "static"))}
        sub="gross margin"
        tone="good"
      />
      <Kpi
        label="optimize vs seed-rule"
        value={signedPct(uplift(b, "optimize", "seed-rule"))}
        sub="gross margin"
        tone="good"
      />
      <Kpi
        label="Guardrail violations"
        value={count(violations)}
        sub="applied prices outside floor, ceiling or largest step"
        tone={violations ? "warn" : "good"}
      />
    </div>
  );
}

function Summary({ b }: { b: StoredBacktest }) {
  return (
    <DataTable
      label="Backtest result per strategy"
      columns={[
        "Strategy",
        { label: "Gross margin", num: true },
        { label: "vs static", num: true },
        { label: "Revenue", num: true },
        { label: "Units", num: true },
        { label: "Lost sales", num: true },
        { label: "Stock-out hours", num: true },
        { label: "Price changes", num: true },
        { label: "Violations", num: true },
      ]}
    >
      {b.strategies.map((s) => (
        <tr data-strategy={s.name}>
          <td>{s.name}</td>
          <td class="num">{money0(s.gross_margin)}</td>
          <td class="num">{signedPct(uplift(b, s.name, "static"))}</td>
          <td class="num">{money0(s.revenue)}</td>
          <td class="num">{count(s.units)}</td>
          <td class="num">{count(s.lost_sales)}</td>
          <td class="num">{s.stockout_hours.toFixed(1)}</td>
          <td class="num">{count(s.price_changes)}</td>
          <td class={s.violations ? "num neg" : "num"}>
            {count(s.violations)}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Strategies whose daily margins are identical, which draw as one line. */
function sameLines(series: Series[]): string[] {
  const key = (s: Series) => s.points.map((p) => p.value).join(",");
  return series.flatMap((s, i) =>
    series.slice(i + 1).filter((t) => key(t) === key(s)).map((t) =>
      `${s.name} and ${t.name} earned the same every day: one line hides the other.`
    )
  );
}

function marginSeries(b: StoredBacktest): Series[] {
  const start = Date.parse(b.params.start);
  return b.strategies.map((s) => ({
    name: s.name,
    cls: styleOf(s.name),
    points: b.daily.filter((d) => d.strategy === s.name).map((d) => ({
      at: new Date(start + (d.day - 1) * DAY_MS),
      value: d.gross_margin,
    })),
  }));
}

export interface PricePath {
  strategy: string;
  at: Date;
  price: number;
}

function priceSeries(b: StoredBacktest, paths: readonly PricePath[]): Series[] {
  return b.strategies.map((s) => ({
    name: s.name,
    cls: styleOf(s.name),
    points: paths.filter((p) => p.strategy === s.name).map((p) => ({
      at: p.at,
      value: p.price,
    })),
    step: true,
  })).filter((s) => s.points.length > 0);
}

function ProductPicker(
  { b, product }: { b: StoredBacktest; product: string },
) {
  return (
    <form class="filters" method="get" action="/analytics/backtest">
      <label>
        <span>Product</span>
        <select name="product">
          {b.products.map((id) => (
            <option value={id} selected={id === product}>{id}</option>
          ))}
        </select>
      </label>
      <button type="submit" class="btn">Show</button>
    </form>
  );
}

function Learned({ b }: { b: StoredBacktest }) {
  if (b.learned.length === 0) {
    return <Empty>The optimize strategy was not part of this run.</Empty>;
  }
  return (
    <DataTable
      label="Elasticity learned during the backtest"
      columns={[
        "Category",
        { label: "Simulated day", num: true },
        { label: "Learned", num: true },
        { label: "95% interval", num: true },
        { label: "Hidden truth", num: true },
        { label: "Error", num: true },
      ]}
    >
      {b.learned.map((l) => (
        <tr>
          <td>{l.category}</td>
          <td class="num">{l.day}</td>
          <td class="num">{l.estimate.toFixed(2)}</td>
          <td class="num">
            [{l.low.toFixed(2)}, {l.high.toFixed(2)}]
          </td>
          <td class="num">{l.truth.toFixed(2)}</td>
          <td class="num">
            {signedPct((l.estimate / l.truth - 1) * 100)}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function RunNote({ b }: { b: StoredBacktest }) {
  const p = b.params;
  return (
    <p class="muted" data-run={b.runId}>
      Run {b.runId}, stored {stamp(b.startedAt)}: market{" "}
      <code>{p.market}</code>, seed <code>{p.seed}</code>, {p.days}{" "}
      simulated days from {day(new Date(p.start))}, the engine every{" "}
      {p.stepMinutes} min; it took {b.seconds.toFixed(1)} s.
    </p>
  );
}

function MarginChart({ b }: { b: StoredBacktest }) {
  const series = marginSeries(b);
  return (
    <Panel title="Gross margin per simulated day" note="USD" wide>
      {sameLines(series).map((note) => <p key={note} class="muted">{note}</p>)}
      <LineChart
        title="Gross margin per simulated day, one line per strategy"
        series={series}
        yFormat={compact}
      />
    </Panel>
  );
}

function PriceChart(
  { b, product, paths }: {
    b: StoredBacktest;
    product: string;
    paths: readonly PricePath[];
  },
) {
  return (
    <Panel title={`Our price of ${product}`} note="per strategy" wide>
      <ProductPicker b={b} product={product} />
      {paths.length === 0
        ? <Empty>{`No price path of ${product} in this run.`}</Empty>
        : (
          <LineChart
            title={`Our price of ${product} under each strategy`}
            series={priceSeries(b, paths)}
            yFormat={money}
          />
        )}
    </Panel>
  );
}

/** The page body for the stored backtest `b`, with `paths` of `product`. */
export function BacktestView(
  { b, product, paths }: {
    b: StoredBacktest;
    product: string;
    paths: readonly PricePath[];
  },
) {
  const q = `product=${encodeURIComponent(product)}`;
  return (
    <>
      <RunNote b={b} />
      <BacktestKpis b={b} />
      <Panel title="What each strategy earned" note="USD, simulated" wide>
        <Summary b={b} />
      </Panel>
      <MarginChart b={b} />
      <PriceChart b={b} product={product} paths={paths} />
      <Panel
        title="Elasticity learned from the simulated orders"
        note="optimize"
        wide
      >
        <Learned b={b} />
      </Panel>
      <p class="muted downloads">
        Data: <a href="/api/analytics/backtest">JSON</a> ·{" "}
        <a href="/api/analytics/backtest.csv" download>Daily CSV</a> ·{" "}
        <a href={`/api/analytics/backtest.csv?table=prices&${q}`} download>
          Price paths of {product} (CSV)
        </a>
      </p>
    </>
  );
}
