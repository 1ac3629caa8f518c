/**
 * Stock movements as a table: the applied ones, the refused ones with their
 * reason, or both (`all`, on a product's stock page) with a status column.
 * Product names link to the product's stock page.
 */
import type { Movement } from "../lib/dashboard/types.ts";
import { clock, count } from "../lib/format.ts";
import { Empty } from "./Panel.tsx";
import { TableWrap } from "./Table.tsx";

type Mode = "applied" | "refused" | "all";

function Status({ m }: { m: Movement }) {
  return m.reason === null
    ? <td>applied</td>
    : <td class="reason">refused: {m.reason}</td>;
}

function MovementRow({ m, mode }: { m: Movement; mode: Mode }) {
  return (
    <tr data-event-id={m.eventId}>
      <td class="mono">{clock(m.at)}</td>
      {mode !== "all" && (
        <td>
          <a href={`/inventory/${m.productId}`}>
            {m.productName ?? m.productId}
          </a>
        </td>
      )}
      <td>{m.warehouseId}</td>
      <td>{m.type.replaceAll("_", " ")}</td>
      <td class={`num ${m.quantityChange < 0 ? "neg" : "pos"}`}>
        {`${m.quantityChange > 0 ? "+" : ""}${count(m.quantityChange)} units`}
      </td>
      <td class="num">
        {m.stockAfter === null ? "—" : `${count(m.stockAfter)} units`}
      </td>
      {mode === "refused" && <td class="reason">{m.reason}</td>}
      {mode === "all" && <Status m={m} />}
    </tr>
  );
}

const EMPTY: Record<Mode, string> = {
  applied: "No stock movements yet.",
  refused: "No refused movements: stock never went below zero.",
  all: "No stock movements for this product yet.",
};

export function Movements(
  { rows, refused, mode = refused ? "refused" : "applied" }: {
    rows: Movement[];
    refused?: boolean;
    mode?: Mode;
  },
) {
  if (rows.length === 0) return <Empty>{EMPTY[mode]}</Empty>;
  const head = [
    "Time (UTC)",
    ...(mode === "all" ? [] : ["Product"]),
    "Warehouse",
    "Type",
    "Change",
    mode === "refused" ? "Stock" : "Stock after",
    ...(mode === "applied" ? [] : [mode === "all" ? "Status" : "Reason"]),
  ];
  return (
    <TableWrap
      label={mode === "refused" ? "Refused movements" : "Stock movements"}
      columns={head.length}
    >
      <table class="data">
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} class={/Change|Stock/.test(h) ? "num" : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => <MovementRow key={m.eventId} m={m} mode={mode} />)}
        </tbody>
      </table>
    </TableWrap>
  );
}
