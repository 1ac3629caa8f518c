/**
 * Hand-built rows for the analytics integration tests: clicks, competitor
 * observations and recommendations written straight into a test database.
 */
import type { Hono } from "hono";
import type { Sql } from "../lib/db/mod.ts";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { createApp } from "../routes/app.ts";
import { PRODUCTS } from "../lib/catalog.ts";
import { ensureModels } from "../lib/models/build.ts";
import { refreshModels } from "../lib/models/refresh.ts";

/**
 * Builds the SQL models (staging views and marts) in a test database, as
 * start-up does, then runs `fill` and refreshes the marts so they see its rows.
 */
export async function withModels(
  sql: Sql,
  fill: () => Promise<void> = async () => {},
): Promise<void> {
  await ensureModels(sql);
  await fill();
  await refreshModels(sql);
}

export interface Click {
  user: string;
  session: string;
  device: "mobile" | "desktop" | "tablet";
  type:
    | "page_view"
    | "product_view"
    | "add_to_cart"
    | "remove_from_cart"
    | "purchase";
  productId?: string;
  /** Price on the event; defaults to the catalogue price. */
  price?: number;
  at: string;
}

const sessionIds = new Map<string, string>();
/** A stable UUID per session label (labels are unique per test file). */
export function sessionId(label: string): string {
  let id = sessionIds.get(label);
  if (!id) sessionIds.set(label, id = crypto.randomUUID());
  return id;
}

/** Inserts clickstream events, filling product name, category and price from the catalogue. */
export async function insertClicks(
  sql: Sql,
  clicks: readonly Click[],
): Promise<void> {
  const rows = clicks.map((c) => {
    const p = c.productId
      ? PRODUCTS.find((x) => x.id === c.productId)
      : undefined;
    if (c.productId && !p) {
      throw new Error(`Unknown product "${c.productId}" in a test click`);
    }
    return {
      event_id: crypto.randomUUID(),
      user_id: c.user,
      session_id: sessionId(c.session),
      event_type: c.type,
      product_id: p?.id ?? null,
      product_name: p?.name ?? null,
      product_category: p?.category ?? null,
      product_price: p ? c.price ?? p.basePrice : null,
      timestamp: new Date(c.at),
      device_type: c.device,
    };
  });
  await sql`insert into clickstream_events ${sql(rows)}`;
}

/** The dashboard app, for `app.request()` of the analytics API. */
export function analyticsApp(sql: Sql): Hono {
  // The whole app, so errors are answered as every route answers them.
  return createApp({ config: loadConfig({}), sql, bus: new CommitBus() }).app;
}

/** GETs `path` and parses the JSON body, failing on any status but 200. */
export async function getJson<T>(app: Hono, path: string): Promise<T> {
  const res = await app.request(path);
  if (res.status !== 200) {
    throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
  }
  return await res.json() as T;
}
