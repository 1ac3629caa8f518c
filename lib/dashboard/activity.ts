/** Queries behind the Live activity page, `/api/activity` and the live feed. */
import type { Sql } from "../db/mod.ts";
import type { ActivityEvent, StreamRate } from "./types.ts";

export interface Mix {
  name: string;
  count: number;
}

export interface Activity {
  recent: ActivityEvent[];
  eventTypes: Mix[];
  devices: Mix[];
  throughput: StreamRate[];
  /** Window of the two mixes, minutes. */
  mixWindowMin: number;
}

/** The newest `limit` events of all three streams, newest first. */
export async function recentEvents(
  sql: Sql,
  limit = 50,
): Promise<ActivityEvent[]> {
  const rows = await sql<
    {
      stream: ActivityEvent["stream"];
      event_id: string;
      at: Date;
      type: string;
      product_id: string | null;
      product_name: string | null;
      place: string | null;
      amount: string | null;
    }[]
  >`
    select * from (
      (select 'clickstream' as stream, event_id::text, "timestamp" as at, event_type as type, product_id,
              product_name, device_type as place, product_price::text as amount
       from clickstream_events order by "timestamp" desc limit ${limit})
      union all
      (select 'inventory', e.event_id::text, e."timestamp", e.event_type, e.product_id, p.product_name,
              e.warehouse_id, e.quantity_change::text
       from inventory_events e left join products p using (product_id) order by e."timestamp" desc limit ${limit})
      union all
      (select 'competitor', h.event_id::text, h."timestamp", 'price_observed', h.product_id, p.product_name,
              h.competitor_name, h.competitor_price::text
       from competitor_price_history h left join products p using (product_id) order by h."timestamp" desc limit ${limit})
    ) e order by at desc, event_id limit ${limit}`;
  return rows.map((r) => ({
    stream: r.stream,
    eventId: r.event_id,
    at: r.at,
    type: r.type,
    productId: r.product_id,
    productName: r.product_name,
    where: r.place,
    amount: r.amount === null ? null : Number(r.amount),
  }));
}

/**
 * Events per stream with a timestamp in the last minute and the last 15
 * minutes, and how many of those 15 minutes the stream has existed: an
 * average over 15 minutes divides by 4 after 4 minutes of history, not 15.
 */
export async function throughput(sql: Sql): Promise<StreamRate[]> {
  const rows = await sql<
    {
      stream: StreamRate["stream"];
      m1: number;
      m15: number;
      span: number | null;
    }[]
  >`
    select 'clickstream' as stream,
           count(*) filter (where "timestamp" > now() - interval '1 minute')::int as m1, count(*)::int as m15,
           (select extract(epoch from now() - min("timestamp"))::float8 / 60 from clickstream_events) as span
      from clickstream_events where "timestamp" > now() - interval '15 minutes'
    union all
    select 'inventory', count(*) filter (where "timestamp" > now() - interval '1 minute')::int, count(*)::int,
           (select extract(epoch from now() - min("timestamp"))::float8 / 60 from inventory_events)
      from inventory_events where "timestamp" > now() - interval '15 minutes'
    union all
    select 'competitor', count(*) filter (where "timestamp" > now() - interval '1 minute')::int, count(*)::int,
           (select extract(epoch from now() - min("timestamp"))::float8 / 60 from competitor_price_history)
      from competitor_price_history where "timestamp" > now() - interval '15 minutes'`;
  return rows.map((r) => ({
    stream: r.stream,
    lastMinute: r.m1,
    last15Min: r.m15,
    // At least a minute, so the first seconds do not extrapolate wildly.
    windowMin: Math.round(Math.min(15, Math.max(1, r.span ?? 15)) * 10) / 10,
  }));
}

const MIX_WINDOW_MIN = 15;

/** The activity page: recent events, clickstream mixes and per-stream throughput. */
export async function activity(sql: Sql): Promise<Activity> {
  const [recent, mixes, rates] = await Promise.all([
    recentEvents(sql),
    sql<{ kind: string; name: string; count: number }[]>`
      select 'type' as kind, event_type as name, count(*)::int as count from clickstream_events
        where "timestamp" > now() - make_interval(mins => ${MIX_WINDOW_MIN}) group by event_type
      union all
      select 'device', device_type, count(*)::int from clickstream_events
        where "timestamp" > now() - make_interval(mins => ${MIX_WINDOW_MIN}) group by device_type
      order by 1, 3 desc, 2`,
    throughput(sql),
  ]);
  const pick = (kind: string) =>
    mixes.filter((m) => m.kind === kind).map(({ name, count }) => ({
      name,
      count,
    }));
  return {
    recent,
    eventTypes: pick("type"),
    devices: pick("device"),
    throughput: rates,
    mixWindowMin: MIX_WINDOW_MIN,
  };
}
