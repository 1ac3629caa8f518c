/**
 * Exploration, not a test: runs the market for 30 simulated days twice on
 * the same seed, (a) at static list prices and (b) with a crude `optimize`
 * that knows the TRUE elasticities (the best a learner could hope to reach),
 * and prints gross margin, units, lost sales and stock-out hours of each, so
 * we can see early whether an optimize uplift is plausible with the
 * documented parameters.
 *
 * The crude optimizer re-prices hourly under guardrails like decide()'s:
 * floor = cost × 1.05, ceiling = list × 1.25, at most 5% a step, prices
 * ending in .99, and prices up so stock lasts to the next delivery.
 *
 *   deno run scripts/market_explore.ts [--seed default] [--market default|alt] [--days 30]
 */
import { parseArgs } from "node:util";
import { CATEGORIES, PRODUCTS } from "../lib/catalog.ts";
import { say } from "../lib/log.ts";
import type { MarketName } from "../lib/market/demand.ts";
import { Market } from "../lib/market/market.ts";
import { LEAD_TIME_HOURS } from "../lib/market/stock.ts";
import {
  marginOptimalPrice,
  stockLastingPrice,
} from "../lib/pricing/optimize.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seed: { type: "string", default: "default" },
    market: { type: "string", default: "default" },
    days: { type: "string", default: "30" },
  },
});
const DAYS = Number(values.days);
const START = Date.parse("2026-11-02T00:00:00Z"); // a Monday
const STEP = 10 * 60_000;
const HOUR = 3_600_000;

type Strategy = "static" | "optimize";

interface Totals {
  margin: number;
  revenue: number;
  units: number;
  lost: number;
  stockoutHours: number;
  byCategory: Map<string, number>;
}

/** One hourly decision of the crude optimizer for `id`. */
function optimizeOne(m: Market, id: string, current: number, soldDay: number) {
  const p = PRODUCTS.find((x) => x.id === id)!;
  const e = m.demand.params(id).elasticity;
  const floor = p.unitCost * 1.05, ceiling = p.basePrice * 1.25;
  const best = marginOptimalPrice(e, p.unitCost, floor, ceiling);
  const eta = m.stock.nextArrival(id);
  const hours = eta === undefined ? LEAD_TIME_HOURS : (eta - m.now) / HOUR;
  const lasting = stockLastingPrice(
    {
      currentPrice: current,
      salesPerDay: soldDay,
      stockUnits: m.stock.onHand(id),
    },
    e,
    hours,
  );
  const target = Math.min(ceiling, Math.max(best, lasting, floor));
  const stepped = Math.min(current * 1.05, Math.max(current * 0.95, target));
  const rounded = Math.round(stepped + 0.01) - 0.01;
  return Math.min(ceiling, Math.max(floor, rounded));
}

function run(strategy: Strategy): Totals {
  const market = MarketNameOf(values.market!);
  const m = new Market({ seed: values.seed!, start: START, market });
  const prices = new Map(PRODUCTS.map((p) => [p.id, p.basePrice]));
  const lastDay = new Map<string, number[]>(PRODUCTS.map((p) => [p.id, []]));
  const t: Totals = {
    margin: 0,
    revenue: 0,
    units: 0,
    lost: 0,
    stockoutHours: 0,
    byCategory: new Map(),
  };
  for (let at = START; at < START + DAYS * 24 * HOUR; at += STEP) {
    if (strategy === "optimize" && (at - START) % HOUR === 0) {
      for (const p of PRODUCTS) {
        // Demand over the last 24 h; the buyer's forecast until there is a day of it.
        const q = lastDay.get(p.id)!;
        const perDay = q.length >= 144
          ? q.reduce((a, b) => a + b, 0)
          : m.stock.forecastPerHour(p.id) * 24;
        prices.set(p.id, optimizeOne(m, p.id, prices.get(p.id)!, perDay));
      }
    }
    const r = m.step(at, at + STEP, prices);
    for (const p of PRODUCTS) {
      const o = r.products.get(p.id)!;
      const margin = o.revenue - o.costOfGoods;
      t.margin += margin;
      t.revenue += o.revenue;
      t.units += o.units;
      t.lost += o.lostSales;
      t.stockoutHours += o.stockoutMinutes / 60;
      t.byCategory.set(
        p.category,
        (t.byCategory.get(p.category) ?? 0) + margin,
      );
      const q = lastDay.get(p.id)!;
      q.push(o.units + o.lostSales);
      if (q.length > 144) q.shift();
    }
  }
  return t;
}

function MarketNameOf(s: string): MarketName {
  if (s !== "default" && s !== "alt") {
    throw new Error(`Market "${s}" is unknown: expected default or alt`);
  }
  return s;
}

const t0 = performance.now();
const results = { static: run("static"), optimize: run("optimize") };
const ms = performance.now() - t0;
const money = (x: number) => Math.round(x).toLocaleString("en-US");
say(
  `market ${values.market}, seed "${values.seed}", ${DAYS} days, ${
    STEP / 60_000
  }-minute steps`,
);
say(
  "| strategy | gross margin | revenue | units | lost sales | stock-out hours |",
);
say("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [name, r] of Object.entries(results)) {
  say(
    `| ${name} | ${money(r.margin)} | ${money(r.revenue)} | ${
      money(r.units)
    } | ${money(r.lost)} | ${r.stockoutHours.toFixed(1)} |`,
  );
}
const uplift = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(1)}%`;
say(
  `optimize vs static gross margin: ${
    uplift(results.optimize.margin, results.static.margin)
  }`,
);
for (const c of CATEGORIES) {
  say(
    `  ${c}: ${
      uplift(
        results.optimize.byCategory.get(c)!,
        results.static.byCategory.get(c)!,
      )
    }`,
  );
}
say(`run time for both: ${(ms / 1000).toFixed(2)} s`);
