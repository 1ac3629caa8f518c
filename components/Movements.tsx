/** Inventory: stock movements as a table, or the refused ones with their reason. */
import type { Movement } from "../lib/dashboard/inventory.ts";
import { clock, count } from "../lib/web/format.ts";
import { Empty } from "./Layout.tsx";
import { TableWrap } from "./Table.tsx";

function MovementRow({ m, refused }: { m: Movement; refused?: boolean }) {
  return (
    <tr>
      <td class="mono">{clock(m.at)}</td>
      <td>{m.productName ?? m.productId}</td>
      <td>{m.warehouseId}</td>
      <td>{m.type.replaceAll("_", " ")}</td>
      <td class={`num ${m.quantityChange < 0 ? "neg" : "pos"}`}>
        {`${m.quantityChange > 0 ? "+" : ""}${count(m.quantityChange)} units`}
      </td>
      <td class="num">
        {m.stockAfter === null ? "—" : `${count(m.stockAfter)} units`}
      </td>
      {refused && <td class="reason">{m.reason}</td>}
    </tr>
  );
}

export function Movements(
  { rows, refused }: { rows: Movement[]; refused?: boolean },
) {
  if (rows.length === 0) {
    return (
      <Empty>
        {refused
          ? "No refused movements: stock never went below zero."
          : "No stock movements yet."}
      </Empty>
    );
  }
  return (
    <TableWrap
      label={refused ? "Refused movements" : "Stock movements"}
      columns={7}
    >
      <table class="data">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Product</th>
            <th>Warehouse</th>
            <th>Type</th>
            <th class="num">Change</th>
            <th class="num">{refused ? "Stock" : "Stock after"}</th>
            {refused && <th>Reason</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <MovementRow key={m.eventId} m={m} refused={refused} />
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
