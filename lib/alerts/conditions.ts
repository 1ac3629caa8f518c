/**
 * What each rule finds true right now, read from the database (and, for a
 * consumer of this very process, from its worker registry). One condition
 * per thing that needs attention, with a key that stays the same while it
 * does: `stock_out_risk:P004:WH-PH`, `competitor_undercut:P001:TechMart`,
 * `consumer_lag:raw.clickstream`. Reading never sends anything.
 */
import type { Sql } from "../db/mod.ts";
import type { Config } from "../config.ts";
import { stockItems, stockSettingsOf } from "../dashboard/stock_items.ts";
import type { RuleName } from "./rules.ts";
import type { Reader } from "./types.ts";
import { consumerLag, consumerStopped } from "./conditions_pipeline.ts";
// The shop prices in US dollars (SHOP_CURRENCY of the catalog import).
import { money } from "../format.ts";

const n1 = (n: number) =>
  n.toLocaleString("en-US", { maximumFractionDigits: 1 });

async function inactiveProducts(sql: Sql): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`
    select product_id as id from products where not active`;
  return new Set(rows.map((r) => r.id));
}

const stockOutRisk: Reader = async (sql, days, { config }) => {
  const inactive = await inactiveProducts(sql);
  const { items } = await stockItems(sql, {}, stockSettingsOf(config));
  return items.filter((i) =>
    i.days_of_cover !== null && i.days_of_cover < days &&
    !inactive.has(i.product_id)
  ).map((i) => ({
    key: `stock_out_risk:${i.product_id}:${i.warehouse_id}`,
    subject: `${i.product_id} at ${i.warehouse_id}`,
    message: i.stock === 0
      ? `"${i.product_name}" is out of stock at ${i.warehouse_name}`
      : `"${i.product_name}" at ${i.warehouse_name} has ${
        n1(i.days_of_cover!)
      } days of cover left (alert below ${
        n1(days)
      }): ${i.stock} units, selling ${n1(i.sales_per_day)} a day`,
    value: i.days_of_cover,
  }));
};

interface GapRow {
  product_id: string;
  product_name: string;
  competitor_name: string;
  theirs: number;
  ours: number;
  gap_pct: number;
}

/** Latest competitor prices no older than the engine uses, against our current price. */
function gaps(sql: Sql, config: Config) {
  return sql<GapRow[]>`
    select c.product_id, p.product_name, c.competitor_name, c.competitor_price::float8 as theirs,
           p.current_price::float8 as ours,
           ((c.competitor_price - p.current_price) / p.current_price * 100)::float8 as gap_pct
    from competitor_prices c join products p using (product_id)
    where p.active
      and c."timestamp" > now() - make_interval(secs => ${
    config.pricingMaxAgeMs / 1000
  })
    order by c.product_id, c.competitor_name`;
}

function gapReader(rule: RuleName, below: boolean): Reader {
  return async (sql, pct, { config }) =>
    (await gaps(sql, config)).filter((g) =>
      below ? g.gap_pct < -pct : g.gap_pct > pct
    ).map((g) => ({
      key: `${rule}:${g.product_id}:${g.competitor_name}`,
      subject: `${g.product_id} at ${g.competitor_name}`,
      message: `${g.competitor_name} sells "${g.product_name}" at ${
        money(g.theirs)
      }, ${n1(Math.abs(g.gap_pct))} % ${below ? "below" : "above"} our ${
        money(g.ours)
      } (alert beyond ${n1(pct)} %)`,
      value: Math.round(g.gap_pct * 100) / 100,
    }));
}

const priceWar: Reader = async (sql) => {
  const rows = await sql<{ product_id: string; product_name: string }[]>`
    select r.product_id, p.product_name
    from pricing_recommendations r
    join products p on p.product_id = r.product_id
    where 'price_war' = any(r.flags) and p.active
    order by r.product_id`;
  return rows.map((r) => ({
    key: `price_war:${r.product_id}`,
    subject: r.product_id,
    message:
      `"${r.product_name}": a competitor undercut each of our last cuts, so the engine holds the price and waits for an analyst`,
    value: null,
  }));
};

const approvalWaiting: Reader = async (sql, minutes) => {
  const rows = await sql<
    {
      product_id: string;
      product_name: string;
      id: string;
      waited: number;
      rec: string;
      price: string;
    }[]
  >`
    select h.product_id, p.product_name, h.recommendation_id::text as id, h.recommendation as rec,
           h.recommended_price::text as price,
           (extract(epoch from now() - h.computed_at) / 60)::float8 as waited
    from pricing_recommendation_history h join products p using (product_id)
    where h.status = 'pending' and p.active
      and h.computed_at < now() - make_interval(secs => ${minutes * 60})
    order by h.product_id`;
  return rows.map((r) => ({
    key: `approval_waiting:${r.product_id}`,
    subject: r.product_id,
    message: `Recommendation ${r.id} (${r.rec} "${r.product_name}" to ${
      money(Number(r.price))
    }) has waited ${n1(r.waited / 60)} h for approval (alert after ${
      n1(minutes / 60)
    } h)`,
    value: Math.round(r.waited),
  }));
};

const qualityFailed: Reader = async (sql) => {
  const rows = await sql<
    { check_name: string; status: string; detail: string | null }[]
  >`
    select check_name, status, detail from quality_results
    where run_id = (select max(run_id) from quality_runs where finished_at is not null)
      and status in ('fail', 'error')
    order by check_name`;
  return rows.map((r) => ({
    key: `quality_failed:${r.check_name}`,
    subject: r.check_name,
    message: `Quality check "${r.check_name}" ${
      r.status === "fail" ? "failed" : "could not run"
    }${r.detail ? `: ${r.detail.slice(0, 300)}` : ""}`,
    value: null,
  }));
};

const lakeExportFailing: Reader = async (sql) => {
  const [last] = await sql<{ ok: boolean; error: string | null; at: Date }[]>`
    select ok, error, finished_at as at from job_runs
    where job = 'lake_export' order by finished_at desc, run_id desc limit 1`;
  if (!last || last.ok) return [];
  return [{
    key: "lake_export_failing",
    subject: "lake export",
    message: `The lake export failed at ${last.at.toISOString()}: ${
      (last.error ?? "no reason given").slice(0, 300)
    }`,
    value: null,
  }];
};

/** The reader of each rule. */
export const READERS: Record<RuleName, Reader> = {
  stock_out_risk: stockOutRisk,
  competitor_undercut: gapReader("competitor_undercut", true),
  competitor_raised: gapReader("competitor_raised", false),
  price_war: priceWar,
  approval_waiting: approvalWaiting,
  quality_failed: qualityFailed,
  consumer_lag: consumerLag,
  consumer_stopped: consumerStopped,
  lake_export_failing: lakeExportFailing,
};
