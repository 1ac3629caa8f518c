/**
 * The web role as an edge runtime would run it: with `--deny-run
 * --deny-write`, against PostgreSQL, from the bundles `deno task build` made.
 * `main.ts --role web` loads every page with its islands hydrated, and
 * `deno serve workers/edge.ts` follows a commit made by another process by
 * polling the offsets, without LISTEN.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { dbTest } from "./harness/db.ts";
import { ignoreBrowser } from "./harness/browser.ts";
import { ingest, seedShop } from "./harness/web_seed.ts";
import { seededEvents } from "./harness/events.ts";
import { launchChromium } from "../dev/browser.ts";
import { type Platform, startPlatform, startServe } from "../dev/app.ts";
import { ensureModels } from "../lib/models/build.ts";
import { storeJobRun } from "../lib/pipeline/job_runs.ts";
import { buildIslands } from "../lib/islands/build.ts";
import {
  prebuiltProblem,
  sourceHash,
  writePrebuilt,
} from "../lib/islands/prebuilt.ts";
import type { Sql } from "../lib/db/mod.ts";

const DENY = ["--deny-run", "--deny-write"];

/** Every page of the dashboard and the islands each must hydrate. */
export const PAGES: Array<{ path: string; islands: string[] }> = [
  { path: "/", islands: ["LiveStatus", "LiveKpis"] },
  { path: "/inventory", islands: ["LiveStatus", "InventoryBoard"] },
  { path: "/inventory/P001", islands: ["LiveStatus", "StockBoard"] },
  {
    path: "/pricing",
    islands: ["LiveStatus", "ApprovalQueue", "SortableTable"],
  },
  { path: "/pricing/P001", islands: [] },
  { path: "/pricing/strategies", islands: ["StrategyEditor"] },
  {
    path: "/activity",
    islands: ["LiveStatus", "ActivityStreams", "LiveEvents"],
  },
  { path: "/pipeline", islands: ["LiveStatus", "PipelineBoard"] },
  { path: "/analytics", islands: [] },
  { path: "/analytics/funnel", islands: [] },
  { path: "/analytics/price", islands: ["AnalyticsRevenueSim"] },
  { path: "/analytics/customers", islands: [] },
  { path: "/analytics/demand", islands: [] },
  { path: "/analytics/backtest", islands: [] },
  { path: "/alerts", islands: ["LiveStatus", "AlertList"] },
];

/** What `deno task build --if-stale` does, so the servers below find current bundles. */
async function ensureBundles(): Promise<void> {
  if (await prebuiltProblem()) {
    await writePrebuilt(await buildIslands(), await sourceHash());
  }
}

async function seed(sql: Sql): Promise<void> {
  await ensureModels(sql);
  await seedShop(sql, { clicks: 300, moves: 40, prices: 60 });
  await storeJobRun(sql, {
    job: "pricing",
    ok: true,
    seconds: 0.2,
    result: { products: 30 },
    finishedAt: Date.now(),
  });
}

/** Opens `path` and waits until every island on it is hydrated; returns the problems seen. */
async function load(page: Page, url: string, islands: string[]) {
  const problems: string[] = [];
  page.removeAllListeners("console");
  page.removeAllListeners("pageerror");
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(url);
  for (const n of islands) {
    await page.waitForSelector(`[data-island="${n}"][data-hydrated="true"]`, {
      state: "attached",
      timeout: 20_000,
    });
  }
  const found = await page.$$eval(
    "[data-island]",
    (els) => els.map((e) => (e as HTMLElement).dataset.island),
  );
  assertEquals([...new Set(found)].sort(), [...islands].sort(), url);
  return problems;
}

function browserDbTest(
  name: string,
  fn: (sql: Sql, url: string, b: Browser) => Promise<void>,
) {
  if (ignoreBrowser) return Deno.test({ name, ignore: true, fn: () => {} });
  dbTest(name, async ({ sql, url }) => {
    await ensureBundles();
    const chrome = await launchChromium();
    try {
      await fn(sql, url, chrome.browser);
    } finally {
      await chrome.close();
    }
  });
}

browserDbTest(
  "edge - the web role runs with --deny-run --deny-write on PostgreSQL and every page hydrates its islands",
  async (sql, dbUrl, browser) => {
    await seed(sql);
    let web: Platform | undefined;
    try {
      web = await startPlatform({
        DATABASE_URL: dbUrl,
        ROLE: "web",
        PORT: "0",
        METRICS_PORT: "0",
        STATS_INTERVAL_MS: "0",
        LOG_LEVEL: "info",
        PATH: Deno.env.get("PATH") ?? "",
      }, DENY);
      const page = await browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      for (const p of PAGES) {
        const problems = await load(page, web.url + p.path, p.islands);
        assertEquals(problems, [], `${p.path} loads cleanly`);
      }
      const log = web.output();
      ok(
        log.includes("islands loaded"),
        "the bundles came from static/islands",
      );
      ok(
        !/building islands|NotCapable|PermissionDenied|Requires (run|write)/
          .test(log),
        log.slice(-2000),
      );
    } finally {
      await web?.stop();
    }
  },
);

browserDbTest(
  "edge - deno serve runs workers/edge.ts without LISTEN and an open stock page follows a commit",
  async (sql, dbUrl, browser) => {
    await seed(sql);
    const edge = await startServe("workers/edge.ts", {
      DATABASE_URL: dbUrl,
      LOG_LEVEL: "info",
      PATH: Deno.env.get("PATH") ?? "",
    }, ["-A", ...DENY]);
    try {
      const page = await browser.newPage({
        viewport: { width: 390, height: 844 },
      });
      const problems = await load(page, `${edge.url}/inventory/P001`, [
        "LiveStatus",
        "StockBoard",
      ]);
      await page.waitForSelector('[data-live-state="live"]');
      const cell = '[data-warehouse="WH-LAGOS"] [data-stock]';
      const before = Number(
        (await page.locator(cell).innerText()).replace(/,/g, ""),
      );
      // Another process (this test) commits a sale; the edge server only polls offsets.
      const [e] = seededEvents("inventory", 1, "edge-live");
      await ingest(sql, "inventory", [{
        ...e!,
        product_id: "P001",
        product_name: "Samsung Galaxy S24",
        product_category: "phones",
        warehouse_id: "WH-LAGOS",
        event_type: "stock_sold",
        quantity_change: -3,
        timestamp: new Date().toISOString(),
      }]);
      await page.waitForFunction(
        ([sel, n]) =>
          document.querySelector(sel as string)?.textContent?.replace(
            /,/g,
            "",
          ) === String(n),
        [cell, before - 3] as const,
        { timeout: 20_000 },
      );
      assertEquals(problems, []);
      ok(!edge.output().includes("LISTEN"), "no LISTEN was attempted");
    } finally {
      await edge.stop();
    }
  },
);
