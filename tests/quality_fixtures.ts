/**
 * Building blocks for breaking the seeded shop's data on purpose: the shape
 * of a case of the table in quality_breaks*.ts, and small writers that touch
 * only what one check looks at.
 */
import type { TransactionSql } from "../lib/db/mod.ts";

export interface Break {
  check: string;
  how: string;
  /** Changes the data inside the test's transaction (rolled back afterwards). */
  breakIt: (tx: TransactionSql) => Promise<unknown>;
  /** Text the check's detail must contain. */
  detail: string;
  status?: "fail" | "warn";
  /** Warnings that follow from this break by nature (an empty table is also stale). */
  alsoWarns?: string[];
}

/** Sets a stock value and records the applied move that explains it. */
export async function moveStockTo(
  tx: TransactionSql,
  product: string,
  warehouse: string,
  stock: number,
): Promise<void> {
  const [s] = await tx<{ current_stock: number }[]>`
    select current_stock from inventory_state where product_id = ${product} and warehouse_id = ${warehouse}`;
  await tx`
    insert into inventory_events (event_id, product_id, warehouse_id, event_type, quantity_change, applied,
                                  stock_after, "timestamp")
    values (gen_random_uuid(), ${product}, ${warehouse}, 'manual_adjustment', ${
    stock - s!.current_stock
  }, true, ${stock}, now())`;
  await tx`update inventory_state set current_stock = ${stock}
           where product_id = ${product} and warehouse_id = ${warehouse}`;
}

/** Inserts a clickstream event (a page view on mobile, now, unless overridden). */
export function click(
  tx: TransactionSql,
  e: {
    id?: string;
    type?: string;
    product?: string | null;
    price?: number | null;
    at?: string;
    device?: string;
  },
) {
  return tx`
    insert into clickstream_events (event_id, user_id, session_id, event_type, product_id, product_category,
                                    product_price, "timestamp", device_type)
    values (coalesce(${
    e.id ?? null
  }::uuid, gen_random_uuid()), 'user_9999', gen_random_uuid(),
            ${e.type ?? "page_view"}, ${e.product ?? null}, null, ${
    e.price ?? null
  },
            coalesce(${e.at ?? null}::timestamptz, now()), ${
    e.device ?? "mobile"
  })`;
}

/** An inventory event that changes no stock: refused (-5), or applied with 0 units. */
export function inventoryEvent(
  tx: TransactionSql,
  e: { warehouse?: string; type?: string; applied: boolean; reason?: string },
) {
  return tx`
    insert into inventory_events (event_id, product_id, warehouse_id, event_type, quantity_change, applied,
                                  refusal_reason, "timestamp")
    values (gen_random_uuid(), 'P010', ${e.warehouse ?? "WH-LAGOS"}, ${
    e.type ?? "stock_damaged"
  }, ${e.applied ? 0 : -5}, ${e.applied}, ${e.reason ?? null}, now())`;
}

/** A recommendation in a new (unfinished) pricing run's history. */
export async function recommendation(
  tx: TransactionSql,
  r: { product?: string; rec?: string; confidence?: number; price?: number },
) {
  const [run] = await tx<{ run_id: string }[]>`
    insert into pricing_runs default values returning run_id`;
  await tx`
    insert into pricing_recommendation_history (run_id, product_id, current_price, avg_competitor_price,
      demand_velocity, price_gap_pct, recommendation, confidence_score, recommended_price)
    values (${run!.run_id}, ${r.product ?? "P011"}, 100, 100, 0, 0, ${
    r.rec ?? "hold"
  }, ${r.confidence ?? 0.5}, ${r.price ?? 100})`;
}

/** Changes one competitor observation in the latest table and in its history row. */
export function competitorPair(tx: TransactionSql, set: "price" | "pct") {
  const col = set === "price"
    ? tx`competitor_price = -1`
    : tx`price_difference_pct = 95`;
  return tx`
    with target as (select event_id from competitor_prices where product_id = 'P005' limit 1),
    h as (update competitor_price_history set ${col} where event_id = (select event_id from target))
    update competitor_prices set ${col} where event_id = (select event_id from target)`;
}
