/**
 * Everything one pricing run reads, set-based. Once per run: sales per
 * product, our recent price changes and the competitor history of the few
 * products we recently cut, and where the chunks of products end. Then per
 * chunk (an id range): the products with stock, last change and current
 * recommendation, and their competitors' latest prices. No query per
 * product, and a run over a million products holds two chunks in memory at
 * a time (the one being decided and the next one, read meanwhile).
 */
import type { Sql } from "../db/mod.ts";
import type { Action } from "./action.ts";
import type { Observation, PriceChange, ProductInput } from "./types.ts";

/** The recommendation a product has now, to tell a new decision from the same one. */
export interface CurrentRecommendation {
  id: number;
  status: string;
  action: Action;
  currentPrice: number;
  recommendedPrice: number;
  holdReason: string | null;
  flags: string[];
}

/** One product as a run sees it. */
export interface PricingRow {
  input: ProductInput;
  current: CurrentRecommendation | null;
}

/** One product of a chunk, decoded from the server's JSON tuple. */
interface ProductRecord {
  product_id: string;
  category: string;
  base_price: number;
  current_price: number;
  unit_cost: number;
  map_price: number | null;
  min_price: number | null;
  max_price: number | null;
  stock: number;
  /** Epoch ms of our last applied change; null when never. */
  last_changed_at: number | null;
  rec_id: number | null;
  rec_status: string | null;
  rec_action: Action | null;
  rec_current: number | null;
  rec_price: number | null;
  rec_hold: string | null;
  rec_flags: string[] | null;
}

type Tuple = [
  string,
  string,
  number,
  number,
  number,
  number | null,
  number | null,
  number | null,
  number,
  number | null,
  number | null,
  string | null,
  Action | null,
  number | null,
  number | null,
  string | null,
  string[] | null,
];

/** What a run reads once: sales, our recent changes and the competitor history behind price wars. */
export interface RunContext {
  /** Purchases per product over the last 24 h and the last hour. */
  sales: Map<string, { day: number; hour: number }>;
  /** Hours of clickstream the last 24 h actually cover (1 to 24). */
  salesWindowHours: number;
  changes: ByProduct<PriceChange>;
  history: ByProduct<Observation>;
}

/**
 * Reads what does not depend on the chunk. `warHours` is the longest
 * price-war window of any strategy: our changes and competitor history that
 * old are read; nothing older is.
 */
export async function loadContext(
  sql: Sql,
  now: Date,
  warHours: number,
): Promise<RunContext> {
  const since = new Date(now.getTime() - warHours * 3_600_000);
  const [sales, span, changes] = await Promise.all([
    readSales(sql, now),
    readSalesWindow(sql, now),
    readChanges(sql, since),
  ]);
  const history = await readCompetitorHistory(sql, since, changes);
  return { sales, salesWindowHours: span, changes, history };
}

/**
 * Where a run's chunks end: the id of every `limit`-th active product and of
 * the last one, ascending, from one scan of the primary key. With the ends
 * known up front each chunk's queries carry both bounds as literals (the
 * planner estimates them well) and the next chunk can be asked for while
 * this one is decided.
 */
export async function chunkEnds(sql: Sql, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from (
      select product_id as id, row_number() over (order by product_id) as n
      from products where active) t
    where n % ${limit} = 0
    union
    select max(product_id) from products where active
    order by 1`;
  return rows.flatMap((r) => r.id === null ? [] : [r.id]);
}

/**
 * The products in (`after`, `last`] with their competitor prices and
 * current recommendation: one chunk of a run. Both queries leave at once on
 * the one connection.
 */
export async function loadChunk(
  sql: Sql,
  ctx: RunContext,
  after: string,
  last: string,
): Promise<PricingRow[]> {
  const [products, observations] = await Promise.all([
    readProducts(sql, after, last),
    readObservations(sql, after, last),
  ]);
  return products.map((p) => ({
    input: toInput(p, ctx, observations),
    current: currentOf(p),
  }));
}

/** Purchases per product in the 24 h before `now`, and in its last hour. */
async function readSales(sql: Sql, now: Date) {
  const rows = await sql<{ p: string; day: number; hour: number }[]>`
    select product_id as p, count(*)::int as day,
           (count(*) filter (where "timestamp" > ${now}::timestamptz - interval '1 hour'))::int as hour
    from clickstream_events
    where event_type = 'purchase' and "timestamp" > ${now}::timestamptz - interval '24 hours'
      and "timestamp" <= ${now}::timestamptz
    group by product_id`;
  return new Map(rows.map((r) => [r.p, { day: r.day, hour: r.hour }]));
}

/**
 * Sales per day are purchases over the last 24 h scaled from the hours the
 * clickstream actually covers (at least one), so a fresh start does not
 * read as "no sales" and every product as overstocked.
 */
async function readSalesWindow(sql: Sql, now: Date): Promise<number> {
  const [r] = await sql<{ hours: number | null }[]>`
    select greatest(1, least(24, extract(epoch from ${now}::timestamptz - min("timestamp")) / 3600))::float8
             as hours
    from clickstream_events where "timestamp" > ${now}::timestamptz - interval '24 hours'`;
  return r?.hours ?? 24;
}

/**
 * Products after `after` with stock, last change and current recommendation.
 * The chunk comes back as ONE JSON text the server builds: postgres.js
 * spends about three times longer turning 20,000 wide rows into objects
 * than V8 spends parsing the same values as JSON (measured 269 ms vs 80 ms
 * per chunk, the server's share 13 ms), and at a million products that is
 * most of a run.
 */
async function readProducts(
  sql: Sql,
  after: string,
  last: string,
): Promise<ProductRecord[]> {
  // Every side bounded by the chunk's id range (after, last], so each is an
  // index range scan of one chunk joined by hash: a subquery per product, or
  // a join without the bound, scanned far more than the chunk.
  const [row] = await sql<{ j: string | null }[]>`
    select json_agg(json_build_array(
             p.product_id, p.category, p.base_price, p.current_price, p.unit_cost,
             p.map_price, p.min_price, p.max_price, coalesce(s.stock, 0), c.at,
             r.recommendation_id, r.status, r.recommendation, r.current_price, r.recommended_price,
             r.hold_reason, r.flags)
           order by p.product_id)::text as j
    from products p
    left join pricing_recommendations r
      on r.product_id = p.product_id and r.product_id > ${after} and r.product_id <= ${last}
    left join (select product_id, sum(current_stock)::int as stock from inventory_state
               where product_id > ${after} and product_id <= ${last} group by product_id) s
      on s.product_id = p.product_id
    left join (select product_id, (extract(epoch from max(changed_at)) * 1000)::float8 as at
               from price_changes
               where product_id > ${after} and product_id <= ${last} group by product_id) c
      on c.product_id = p.product_id
    where p.product_id > ${after} and p.product_id <= ${last} and p.active`;
  const tuples: Tuple[] = row?.j ? JSON.parse(row.j) : [];
  return tuples.map((t) => ({
    product_id: t[0],
    category: t[1],
    base_price: t[2],
    current_price: t[3],
    unit_cost: t[4],
    map_price: t[5],
    min_price: t[6],
    max_price: t[7],
    stock: t[8],
    last_changed_at: t[9],
    rec_id: t[10],
    rec_status: t[11],
    rec_action: t[12],
    rec_current: t[13],
    rec_price: t[14],
    rec_hold: t[15],
    rec_flags: t[16],
  }));
}

type ByProduct<T> = Map<string, T[]>;

function push<T>(m: ByProduct<T>, key: string, value: T): void {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}

/** The latest price of every competitor for the products in (after, last]. */
async function readObservations(
  sql: Sql,
  after: string,
  last: string,
): Promise<ByProduct<Observation>> {
  // Rows as arrays, prices and epoch milliseconds as float8: no Date or
  // keyed object per row, which is most of the cost at three rows a product.
  const rows = await sql`
    select product_id, competitor_name, competitor_price::float8,
           (extract(epoch from "timestamp") * 1000)::float8, event_id::text
    from competitor_prices where product_id > ${after} and product_id <= ${last}`
    .values() as unknown as [string, string, number, number, string][];
  const out: ByProduct<Observation> = new Map();
  for (const [p, source, price, observedAt, eventId] of rows) {
    push(out, p, { source, price, observedAt, eventId });
  }
  return out;
}

/** Our applied changes since `since`, oldest first per product. */
async function readChanges(
  sql: Sql,
  since: Date,
): Promise<ByProduct<PriceChange>> {
  const rows = await sql<
    { p: string; at: Date; old: string; new: string }[]
  >`
    select product_id as p, changed_at as at, old_price::text as old, new_price::text as new
    from price_changes where changed_at > ${since}
    order by product_id, changed_at, change_id`;
  const out: ByProduct<PriceChange> = new Map();
  for (const r of rows) {
    push(out, r.p, {
      at: r.at.getTime(),
      oldPrice: Number(r.old),
      newPrice: Number(r.new),
    });
  }
  return out;
}

/** Competitor observations since `since`, only for products we cut in that time. */
async function readCompetitorHistory(
  sql: Sql,
  since: Date,
  changes: ByProduct<PriceChange>,
): Promise<ByProduct<Observation>> {
  const cut = [...changes].filter(([, list]) =>
    list.some((c) => c.newPrice < c.oldPrice)
  ).map(([p]) => p);
  const out: ByProduct<Observation> = new Map();
  if (cut.length === 0) return out;
  const rows = await sql<
    { p: string; c: string; price: string; at: Date; id: string }[]
  >`
    select product_id as p, competitor_name as c, competitor_price::text as price,
           "timestamp" as at, event_id::text as id
    from competitor_price_history
    where product_id = any(${cut}::text[]) and "timestamp" > ${since}
    order by product_id, "timestamp", event_id`;
  for (const r of rows) {
    push(out, r.p, {
      source: r.c,
      price: Number(r.price),
      observedAt: r.at.getTime(),
      eventId: r.id,
    });
  }
  return out;
}

function toInput(
  p: ProductRecord,
  ctx: RunContext,
  observations: ByProduct<Observation>,
): ProductInput {
  const sold = ctx.sales.get(p.product_id);
  const perDay = ((sold?.day ?? 0) / ctx.salesWindowHours) * 24;
  return {
    productId: p.product_id,
    category: p.category,
    listPrice: p.base_price,
    currentPrice: p.current_price,
    unitCost: p.unit_cost,
    mapPrice: p.map_price,
    minPrice: p.min_price,
    maxPrice: p.max_price,
    observations: observations.get(p.product_id) ?? [],
    stockUnits: p.stock,
    salesPerDay: Math.round(perDay * 100) / 100,
    purchasesLastHour: sold?.hour ?? 0,
    lastAppliedAt: p.last_changed_at,
    recentChanges: ctx.changes.get(p.product_id) ?? [],
    competitorHistory: ctx.history.get(p.product_id) ?? [],
  };
}

function currentOf(p: ProductRecord): CurrentRecommendation | null {
  if (p.rec_id === null) return null;
  return {
    id: p.rec_id,
    status: p.rec_status ?? "no_change",
    action: p.rec_action!,
    currentPrice: p.rec_current!,
    recommendedPrice: p.rec_price!,
    holdReason: p.rec_hold,
    flags: p.rec_flags ?? [],
  };
}
