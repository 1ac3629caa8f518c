/**
 * Inventory writer. Stock moves are applied in log order, one after another,
 * because whether a move is allowed depends on the ones before it: a move that
 * would take stock below zero is refused (kept with its reason) and the next
 * move is judged against the stock without it. The state rows are locked
 * first, so a second processor holding the same partition during a rebalance
 * waits and then sees these events as already applied.
 */
import type { InventoryEvent } from "../events/schema.ts";
import type { TransactionSql } from "../db/mod.ts";
import type { Accepted, Rejection, Writer } from "./types.ts";

interface Applied {
  event: InventoryEvent;
  applied: boolean;
  stockAfter: number;
  reason: string | null;
}

/** Applies `moves` in order to `stock` (mutated); pure, so it is unit-tested directly. */
export function applyMoves(
  stock: Map<string, number>,
  moves: readonly InventoryEvent[],
): Applied[] {
  return moves.map((event) => {
    const key = keyOf(event);
    const before = stock.get(key) ?? 0;
    const after = before + event.quantity_change;
    if (after < 0) {
      return {
        event,
        applied: false,
        stockAfter: before,
        reason:
          `field "quantity_change" ${event.quantity_change} would take stock of ${event.product_id} at ` +
          `${event.warehouse_id} from ${before} to ${after}; stock cannot go below zero`,
      };
    }
    stock.set(key, after);
    return { event, applied: true, stockAfter: after, reason: null };
  });
}

const keyOf = (e: InventoryEvent) => `${e.product_id}|${e.warehouse_id}`;
const productOf = (k: string) => k.split("|")[0]!;
const warehouseOf = (k: string) => k.split("|")[1]!;

export const writeInventory: Writer<InventoryEvent> = async (tx, items) => {
  if (items.length === 0) return { inserted: 0, duplicates: 0, refused: [] };
  const stock = await lockStock(tx, items);
  const seen = await storedIds(tx, items);
  const fresh = items.filter((i) => !seen.has(i.event.event_id));
  const results = applyMoves(stock, fresh.map((f) => f.event));
  if (results.length > 0) {
    await saveStock(tx, results, stock);
    await saveMoves(tx, results, fresh);
  }
  const refused: Rejection[] = results.flatMap((r, i) =>
    r.applied ? [] : [{
      record: fresh[i]!.record,
      reason: r.reason!,
      field: "quantity_change",
      eventId: r.event.event_id,
      kind: "refused" as const,
    }]
  );
  return {
    inserted: results.length,
    duplicates: items.length - results.length,
    refused,
  };
};

/**
 * Creates missing state rows and locks every row the batch touches, in
 * sorted order so two transactions never wait for each other in a circle;
 * returns the stock per product|warehouse.
 */
async function lockStock(
  tx: TransactionSql,
  items: readonly Accepted<InventoryEvent>[],
): Promise<Map<string, number>> {
  const keys = [...new Set(items.map((i) => keyOf(i.event)))].sort();
  const kp = keys.map(productOf);
  const kw = keys.map(warehouseOf);
  await tx`
    insert into inventory_state (product_id, warehouse_id)
    select * from unnest(${kp}::text[], ${kw}::text[])
    on conflict (product_id, warehouse_id) do nothing`;
  const state = await tx<
    { product_id: string; warehouse_id: string; current_stock: number }[]
  >`
    select s.product_id, s.warehouse_id, s.current_stock
    from inventory_state s join unnest(${kp}::text[], ${kw}::text[]) as k(p, w)
      on s.product_id = k.p and s.warehouse_id = k.w
    order by s.product_id, s.warehouse_id
    for update of s`;
  return new Map(
    state.map((s) => [`${s.product_id}|${s.warehouse_id}`, s.current_stock]),
  );
}

/** The batch's event ids that are already stored (redelivered events). */
async function storedIds(
  tx: TransactionSql,
  items: readonly Accepted<InventoryEvent>[],
): Promise<Set<string>> {
  const rows = await tx<{ event_id: string }[]>`
    select event_id::text from inventory_events
    where event_id = any(${items.map((i) => i.event.event_id)}::uuid[])`;
  return new Set(rows.map((r) => r.event_id));
}

/** Writes the new stock of every row an applied move changed. */
async function saveStock(
  tx: TransactionSql,
  results: readonly Applied[],
  stock: ReadonlyMap<string, number>,
): Promise<void> {
  const latest = new Map<string, string>();
  for (const r of results) {
    if (!r.applied) continue;
    const k = keyOf(r.event);
    if ((latest.get(k) ?? "") < r.event.timestamp) {
      latest.set(k, r.event.timestamp);
    }
  }
  const touched = [...latest.keys()];
  await tx`
    update inventory_state s set current_stock = u.stock, updated_at = now(),
      last_event_at = greatest(s.last_event_at, u.ts)
    from unnest(${touched.map(productOf)}::text[], ${
    touched.map(warehouseOf)
  }::text[],
                ${touched.map((k) => stock.get(k)!)}::int[], ${
    touched.map((k) => latest.get(k)!)
  }::timestamptz[])
      as u(p, w, stock, ts)
    where s.product_id = u.p and s.warehouse_id = u.w`;
}

/** Stores every move, applied or refused with its reason. */
async function saveMoves(
  tx: TransactionSql,
  results: readonly Applied[],
  fresh: readonly Accepted<InventoryEvent>[],
): Promise<void> {
  const col = <T>(f: (r: Applied, i: number) => T) => results.map(f);
  await tx`
    insert into inventory_events (event_id, product_id, warehouse_id, event_type, quantity_change, applied,
                                  stock_after, refusal_reason, "timestamp", kafka_partition, kafka_offset)
    select * from unnest(
      ${col((r) => r.event.event_id)}::uuid[], ${
    col((r) => r.event.product_id)
  }::text[],
      ${col((r) => r.event.warehouse_id)}::text[], ${
    col((r) => r.event.event_type)
  }::text[],
      ${col((r) => r.event.quantity_change)}::int[], ${
    col((r) => String(r.applied))
  }::text[]::bool[],
      ${col((r) => r.stockAfter)}::int[], ${col((r) => r.reason)}::text[],
      ${col((r) => r.event.timestamp)}::timestamptz[], ${
    col((_, i) => fresh[i]!.record.partition)
  }::int[],
      ${col((_, i) => fresh[i]!.record.offset)}::bigint[])
    on conflict (event_id) do nothing`;
}
