/** The customer-segments (RFM) page body. */
import type { RfmReport } from "../lib/analytics/mod.ts";
import { count, money, money0 } from "../lib/format.ts";
import { Kpi } from "./Kpi.tsx";
import { Empty, Panel } from "./Panel.tsx";
import { BarChart } from "./BarChart.tsx";
import { TableWrap } from "./Table.tsx";

type Edge = RfmReport["edges"]["orders"][number];

/** Days as a readable age: hours below a day, days above. */
function age(days: number): string {
  return days < 1 ? `${(days * 24).toFixed(1)} h` : `${days.toFixed(1)} d`;
}

function EdgeRow(
  { name, edges, format }: {
    name: string;
    edges: Edge[];
    format: (n: number) => string;
  },
) {
  return (
    <tr>
      <td>{name}</td>
      {[1, 2, 3, 4, 5].map((score) => {
        const e = edges.find((x) => x.score === score);
        return (
          <td class="num">
            {e
              ? `${format(e.min)}${
                e.max !== e.min ? ` – ${format(e.max)}` : ""
              } (${count(e.count)})`
              : "—"}
          </td>
        );
      })}
    </tr>
  );
}

export function CustomerKpis({ r }: { r: RfmReport }) {
  const revenue = r.segments.reduce((a, s) => a + s.revenue, 0);
  const champions = r.segments.find((s) => s.segment === "Champions")!;
  return (
    <div class="kpis">
      <Kpi
        label="Customers"
        value={count(r.customers.length)}
        sub="users with a purchase in the window"
      />
      <Kpi
        label="Revenue"
        value={money0(revenue)}
        sub="sum of purchase prices"
      />
      <Kpi
        label="Champions"
        value={count(champions.customers)}
        sub={`${money0(champions.revenue)} of revenue`}
        tone="good"
      />
    </div>
  );
}

function SegmentCharts({ r }: { r: RfmReport }) {
  return (
    <div class="grid-2">
      <Panel title="Revenue per segment" note="USD">
        <BarChart
          title="Revenue per customer segment in US dollars"
          bars={r.segments.map((s) => ({
            label: s.segment,
            value: s.revenue,
          }))}
          format={money0}
        />
      </Panel>
      <Panel title="Customers per segment" note="users">
        <BarChart
          title="Number of customers per segment"
          bars={r.segments.map((s) => ({
            label: s.segment,
            value: s.customers,
          }))}
          format={(n) => `${count(n)} customers`}
        />
      </Panel>
    </div>
  );
}

function SegmentRules({ r }: { r: RfmReport }) {
  return (
    <Panel
      title="Segments and their rules"
      note="first matching rule wins, top to bottom"
      wide
    >
      <TableWrap label="Segments and their rules" columns={5}>
        <table class="data">
          <thead>
            <tr>
              <th>Segment</th>
              <th>Rule (R, F, M scores 1–5)</th>
              <th class="num">Customers</th>
              <th class="num">Revenue</th>
              <th>Preferred device</th>
            </tr>
          </thead>
          <tbody>
            {r.segments.map((s) => (
              <tr>
                <td>{s.segment}</td>
                <td class="mono">{s.rule}</td>
                <td class="num">{count(s.customers)}</td>
                <td class="num">{money(s.revenue)}</td>
                <td>{s.preferredDevice ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Panel>
  );
}

function QuintileEdges({ r }: { r: RfmReport }) {
  return (
    <Panel
      title="Quintile edges"
      note="value range (customers) per score · tied values share a score: score = 1 + ⌊5 × (customers with a lower value) / customers⌋"
      wide
    >
      <TableWrap label="Quintile edges" columns={6}>
        <table class="data">
          <thead>
            <tr>
              <th>Dimension</th>
              {[1, 2, 3, 4, 5].map((s) => <th key={s} class="num">Score {s}
              </th>)}
            </tr>
          </thead>
          <tbody>
            <EdgeRow
              name="Recency (time since last purchase)"
              edges={r.edges.recencyDays}
              format={age}
            />
            <EdgeRow
              name="Frequency (orders)"
              edges={r.edges.orders}
              format={(n) => count(n)}
            />
            <EdgeRow
              name="Monetary (revenue)"
              edges={r.edges.revenue}
              format={money0}
            />
          </tbody>
        </table>
      </TableWrap>
    </Panel>
  );
}

/** The 20 customers with the most revenue (ties by user id). */
function TopCustomers({ r }: { r: RfmReport }) {
  const top = [...r.customers].sort((a, b) =>
    b.revenue - a.revenue || a.userId.localeCompare(b.userId)
  ).slice(0, 20);
  return (
    <Panel
      title="Top customers by revenue"
      note="the CSV lists every customer"
      wide
    >
      <TableWrap label="Top customers by revenue" columns={7}>
        <table class="data">
          <thead>
            <tr>
              <th>User</th>
              <th class="num">Last purchase</th>
              <th class="num">Orders</th>
              <th class="num">Revenue</th>
              <th class="num">R F M</th>
              <th>Segment</th>
              <th>Preferred device</th>
            </tr>
          </thead>
          <tbody>
            {top.map((c) => (
              <tr>
                <td class="mono">{c.userId}</td>
                <td class="num">{age(c.recencyDays)} ago</td>
                <td class="num">{count(c.orders)}</td>
                <td class="num">{money(c.revenue)}</td>
                <td class="num mono">{c.r} {c.f} {c.m}</td>
                <td>{c.segment}</td>
                <td>{c.preferredDevice ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Panel>
  );
}

/** Why there are no customers to show; null when there are some. */
export function customersEmpty(r: RfmReport): string | null {
  return r.customers.length === 0
    ? "No purchases in this window yet, so there are no customers to score."
    : null;
}

export function CustomersView({ r }: { r: RfmReport }) {
  const empty = customersEmpty(r);
  if (empty) {
    return (
      <Panel title="Customer segments" wide>
        <Empty>{empty}</Empty>
      </Panel>
    );
  }
  return (
    <>
      <CustomerKpis r={r} />
      <SegmentCharts r={r} />
      <SegmentRules r={r} />
      <QuintileEdges r={r} />
      <TopCustomers r={r} />
    </>
  );
}
