/**
 * The warehouse manager's and the data engineer's pages follow the pipeline
 * in a real browser, without a reload: a committed sale changes the stock
 * page and the inventory table, rejected events appear on /pipeline, and a
 * job run (which commits nothing) shows there within its 10 s refresh.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./harness/db.ts";
import { ignoreBrowser } from "./harness/browser.ts";
import { seedDashboard, startDashboard } from "./harness/dashboard.ts";
import { ingest } from "./harness/web_seed.ts";
import { seededEvents } from "./harness/events.ts";
import { launchChromium } from "../dev/browser.ts";
import { storeJobRun } from "../lib/pipeline/job_runs.ts";
import type { InventoryEvent } from "../lib/events/schema.ts";

function sale(units: number, seed: string): InventoryEvent {
  const [e] = seededEvents("inventory", 1, seed);
  return {
    ...e!,
    product_id: "P001",
    product_name: "Samsung Galaxy S24",
    product_category: "phones",
    warehouse_id: "WH-LAGOS",
    event_type: "stock_sold",
    quantity_change: -units,
    timestamp: new Date().toISOString(),
  };
}

const units = (s: string) => Number(s.replace(/[^\d]/g, ""));

async function open(page: Page, url: string, island: string) {
  const navigations: string[] = [];
  page.on("framenavigated", (f) => navigations.push(f.url()));
  await page.goto(url);
  await page.waitForSelector(
    `[data-island="${island}"][data-hydrated="true"]`,
    {
      state: "attached",
    },
  );
  await page.waitForSelector('[data-live-state="live"]');
  navigations.length = 0;
  return navigations;
}

const test = ignoreBrowser
  ? (name: string) => Deno.test({ name, ignore: true, fn: () => {} })
  : dbTest;

test(
  "browser live - a committed sale changes the open stock page and inventory table without a reload",
  async ({ sql }) => {
    await seedDashboard(sql);
    const { server, bus } = startDashboard(sql);
    const chrome = await launchChromium();
    try {
      const page = await chrome.browser.newPage({
        viewport: { width: 390, height: 844 },
      });
      const reloads = await open(
        page,
        `${server.url}/inventory/P001`,
        "StockBoard",
      );
      const cell = '[data-warehouse="WH-LAGOS"] [data-stock]';
      const before = units(await page.locator(cell).innerText());
      bus.publish(await ingest(sql, "inventory", [sale(4, "live-stock")]));
      await page.waitForFunction(
        ([sel, n]) =>
          document.querySelector(sel as string)?.textContent?.replace(
            /\D/g,
            "",
          ) === String(n),
        [cell, before - 4] as const,
        { timeout: 20_000 },
      );
      assertEquals(reloads, [], "no reload on the stock page");

      const board = await chrome.browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      const boardReloads = await open(
        board,
        `${server.url}/inventory?warehouse=WH-LAGOS`,
        "InventoryBoard",
      );
      const row = board.locator("table.sortable tbody tr", {
        hasText: "Samsung Galaxy S24",
      });
      const stock = () =>
        row.locator('td[data-label="Stock (units)"]').innerText();
      assertEquals(units(await stock()), before - 4);
      bus.publish(await ingest(sql, "inventory", [sale(2, "live-board")]));
      await board.waitForFunction(
        (n) =>
          [...document.querySelectorAll("table.sortable tbody tr")].some((tr) =>
            tr.textContent!.includes("Samsung Galaxy S24") &&
            tr.querySelector('td[data-label="Stock (units)"]')?.textContent
                ?.replace(/\D/g, "") === String(n)
          ),
        before - 6,
        { timeout: 20_000 },
      );
      assertEquals(boardReloads, [], "no reload on the inventory page");
    } finally {
      await chrome.close();
      await server.stop();
    }
  },
);

test(
  "browser live - the pipeline page shows new rejections and a job run as they happen",
  async ({ sql }) => {
    await seedDashboard(sql);
    const { server, bus } = startDashboard(sql);
    const chrome = await launchChromium();
    try {
      const page = await chrome.browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      const reloads = await open(
        page,
        `${server.url}/pipeline`,
        "PipelineBoard",
      );
      const rows = () => page.locator("tr[data-rejected]").count();
      const before = await rows();
      bus.publish(
        await ingest(
          sql,
          "clickstream",
          ['{"late": "\u202Eodd"}', "{}"] as never,
        ),
      );
      await page.waitForFunction(
        (n) => document.querySelectorAll("tr[data-rejected]").length >= n,
        Math.min(15, before + 2),
        { timeout: 20_000 },
      );
      await page.waitForSelector("text=\\u{202e}odd");
      // A job run commits nothing: the page's own 10 s refresh brings it.
      await storeJobRun(sql, {
        job: "lake_export",
        ok: true,
        seconds: 2.5,
        result: { files: 7 },
        finishedAt: Date.now(),
      });
      await page.waitForSelector('tr[data-job="lake_export"] >> text=files 7', {
        timeout: 25_000,
      });
      assertEquals(reloads, [], "no reload");
    } finally {
      await chrome.close();
      await server.stop();
    }
  },
);
