/**
 * One product's stock page: per warehouse its stock, sales rate, days of
 * cover, risk and reorder suggestion; the stock history per warehouse; and
 * the moves behind it, applied and refused. Reloads `/api/inventory/:id`
 * after every live snapshot.
 */
import { island } from "../lib/islands/island.ts";
import type { ProductStock } from "../lib/dashboard/stock.ts";
import type { StockItem } from "../lib/dashboard/types.ts";
import { clock, count, percent, rate } from "../lib/format.ts";
import { Kpi } from "../components/Kpi.tsx";
import { Empty, Panel } from "../components/Panel.tsx";
import { LineChart } from "../components/LineChart.tsx";
import { Movements } from "../components/Movements.tsx";
import { HeadRow, TableWrap } from "../components/Table.tsx";
import { basisNote } from "./InventoryBoard.tsx";
import { useLiveJson } from "./use_live.ts";

const RISK_WORD = { high: "High", medium: "Medium", low: "Low" };

function CellRow({ i }: { i: StockItem }) {
  return (
    <tr data-warehouse={i.warehouse_id}>
      <th scope="row">{i.warehouse_name}</th>
      <td class="num" data-stock>{count(i.stock)}</td>
      <td class="num">{rate(i.sales_per_day, "/day")}</td>
      <td class="num">
        <span class={`risk ${i.risk}`}>
          {i.days_of_cover === null
            ? "no sales"
            : rate(i.days_of_cover, "days")}
        </span>
      </td>
      <td class="num">
        <span class={`risk ${i.risk}`}>
          {RISK_WORD[i.risk]} {percent(i.stockout_risk)}
        </span>
      </td>
      <td class="num">{count(Math.ceil(i.reorder_point))}</td>
      <td class="num">{i.reorder_qty > 0 ? count(i.reorder_qty) : "—"}</td>
    </tr>
  );
}

function Cells({ items }: { items: StockItem[] }) {
  const head = [
    "Warehouse",
    "Stock (units)",
    "Sales",
    "Days of cover",
    "Stock-out risk",
    "Reorder point (units)",
    "Reorder (units)",
  ];
  return (
    <TableWrap label="Stock per warehouse" columns={head.length}>
      <table class="data">
        <thead>
          <HeadRow head={head} />
        </thead>
        <tbody>
          {items.map((i) => <CellRow key={i.warehouse_id} i={i} />)}
        </tbody>
      </table>
    </TableWrap>
  );
}

function StockKpis({ d }: { d: ProductStock }) {
  const perDay = d.items.reduce((n, i) => n + i.sales_per_day, 0);
  const units = d.summary.totalUnits;
  return (
    <div class="kpis">
      <Kpi label="Units in stock" value={count(units)} sub="all warehouses" />
      <Kpi
        label="Sales"
        value={rate(perDay, "/day")}
        sub="units, all warehouses"
      />
      <Kpi
        label="Days of cover"
        value={perDay > 0 ? rate(units / perDay, "days") : "—"}
        sub={perDay > 0 ? "at today's sales rate" : "no sales in the window"}
      />
      <Kpi
        label="Reorder now"
        value={`${count(d.summary.reorderUnits)} units`}
        sub={`${count(d.summary.reorderCells)} of ${
          count(d.items.length)
        } warehouses below their reorder point`}
        tone={d.summary.reorderCells > 0 ? "warn" : undefined}
      />
    </div>
  );
}

function StockBoard({ initial, url }: { initial: ProductStock; url: string }) {
  const { data: d, at, failed } = useLiveJson(url, initial);
  const series = d.history.map((h, i) => ({
    name: h.warehouseName,
    cls: `s-${i + 1}`,
    step: true,
    points: h.points.map((p) => ({ at: p.at, value: p.stock })),
  }));
  return (
    <>
      <StockKpis d={d} />
      <Panel
        title="Per warehouse"
        note={`${basisNote(d.basis)}${at ? ` · updated ${clock(at)} UTC` : ""}${
          failed ? " · update failed, retrying" : ""
        }`}
        wide
      >
        <Cells items={d.items} />
      </Panel>
      <Panel
        title="Stock history per warehouse"
        note={`units, last ${d.historyHours} h, UTC`}
        wide
      >
        {series.length === 0
          ? <Empty>No warehouse holds this product.</Empty>
          : (
            <LineChart
              title={`Units of ${d.product.productName} in stock per warehouse over time`}
              series={series}
              yFormat={(n) => count(n)}
              yTitle="Units"
            />
          )}
      </Panel>
      <Panel title="Moves" note="newest first · applied and refused" wide>
        <Movements rows={d.moves} mode="all" />
      </Panel>
    </>
  );
}

export default island("StockBoard", StockBoard);
