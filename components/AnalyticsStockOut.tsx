/** The demand page's stock-out table: products that run out within the warning horizon at the forecast rate. */
import type { DemandReport } from "../lib/analytics/mod.ts";
import { WARNING_HOURS } from "../lib/analytics/forecast.ts";
import { count, rate } from "../lib/format.ts";
import { Empty } from "./Panel.tsx";
import { TableWrap } from "./Table.tsx";

type StockOutRow = DemandReport["stockOut"][number];

function StockOutTable({ rows }: { rows: StockOutRow[] }) {
  return (
    <TableWrap label="Products at risk of running out" columns={6}>
      <table class="data">
        <thead>
          <tr>
            <th>Status</th>
            <th>Product</th>
            <th>Category</th>
            <th class="num">Stock</th>
            <th class="num">Forecast rate</th>
            <th class="num">Hours until stock-out</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr data-status={s.status}>
              <td>
                <span
                  class={s.status === "Critical" ? "stock zero" : "stock low"}
                >
                  {s.status}
                </span>
              </td>
              <td>
                <a href={`/pricing/${s.productId}`}>{s.productName}</a>
              </td>
              <td>{s.category}</td>
              <td class="num">{count(s.stock)} units</td>
              <td class="num">{rate(s.ratePerHour, "units/h")}</td>
              <td class="num">{rate(s.hoursUntilStockOut, "h")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function StockOut({ r }: { r: DemandReport }) {
  const risky = r.stockOut.filter((s) => s.status !== "OK");
  const ok = r.stockOut.length - risky.length;
  if (risky.length === 0) {
    return (
      <Empty>
        No product runs out within {WARNING_HOURS}{" "}
        hours at the forecast rate ({count(ok)} products OK).
      </Empty>
    );
  }
  return (
    <>
      <StockOutTable rows={risky} />
      <p class="muted">
        {count(ok)} other products OK (72 h or more, or no demand forecast).
      </p>
    </>
  );
}
