/**
 * The alerts page in headless Chromium: an operator acknowledges a firing
 * alert through the island (a wrong token is refused and forgotten, the
 * right one kept for the tab), a new alert appears without a reload, and the
 * token entered there serves the approval queue of /pricing too, without
 * asking again.
 */
import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { dbTest } from "./harness/db.ts";
import { ignoreBrowser } from "./harness/browser.ts";
import { launchChromium } from "../dev/browser.ts";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { evaluateAlerts } from "../lib/alerts/evaluate.ts";
import { createApp } from "../routes/app.ts";
import { serve } from "../workers/web.ts";
import { observe, strategy } from "./harness/pricing.ts";
import { ingest } from "./harness/web_seed.ts";
import { seededEvents } from "./harness/events.ts";
import { runPricing } from "../lib/pricing/engine.ts";
import { pricingOptionsFrom } from "../lib/pricing/thresholds.ts";

const TOKEN = "browser-alerts-token";

function ignoreUnlessChromium(name: string, fn: Parameters<typeof dbTest>[1]) {
  if (ignoreBrowser) Deno.test({ name, ignore: true, fn: () => {} });
  else dbTest(name, fn);
}

ignoreUnlessChromium(
  "alerts browser - an operator acknowledges through the island with the tab's token, which the approval queue then reuses",
  async ({ sql }) => {
    await sql`update inventory_state set current_stock = 0 where product_id = 'P004' and warehouse_id = 'WH-PH'`;
    await evaluateAlerts(sql, { config: loadConfig({}) });
    // A recommendation waiting on /pricing, so its queue would ask for a token.
    for (const c of ["TechMart", "GadgetZone", "ElectroHub"]) {
      await observe(sql, "P013", c, 250, new Date(Date.now() - 60_000));
    }
    await strategy(sql, "default", "", { autoApply: null });
    await runPricing(sql, pricingOptionsFrom(loadConfig({})));
    const [a] = await sql<
      { id: number }[]
    >`select alert_id::int as id from alerts`;
    const bus = new CommitBus();
    const web = createApp({
      config: loadConfig({ API_TOKEN: TOKEN }),
      sql,
      bus,
    });
    const server = serve(web, { host: "127.0.0.1", port: 0 });
    const chrome = await launchChromium();
    try {
      const page = await chrome.browser.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(`${server.url}/alerts`);
      await page.waitForSelector(
        '[data-island="AlertList"][data-hydrated="true"]',
        {
          state: "attached",
        },
      );
      const row = `tr[data-alert="${a!.id}"]`;
      await page.fill("#alerts-api-token", "wrong");
      await page.click('form:has(#alerts-api-token) button[type="submit"]');
      await page.click(`${row} button`);
      await page.waitForSelector("text=The server refused that token");
      await page.fill("#alerts-api-token", TOKEN);
      await page.click('form:has(#alerts-api-token) button[type="submit"]');
      await page.click(`${row} button`);
      await page.waitForSelector(`${row} >> text=Acknowledged by api`);
      const [stored] = await sql<{ by: string | null }[]>`
        select acknowledged_by as by from alerts where alert_id = ${a!.id}`;
      assertEquals(stored!.by, "api");

      // Live: the rules run again and find a second empty shelf; after the
      // next commit the list shows it, and the acknowledgement stays.
      await sql`update inventory_state set current_stock = 0 where product_id = 'P005' and warehouse_id = 'WH-PH'`;
      await evaluateAlerts(sql, { config: loadConfig({}) });
      const [b] = await sql<{ id: number }[]>`
        select alert_id::int as id from alerts where alert_key = 'stock_out_risk:P005:WH-PH'`;
      const clicks = seededEvents("clickstream", 3, "alerts-live", Date.now());
      bus.publish(await ingest(sql, "clickstream", clicks));
      await page.waitForSelector(`tr[data-alert="${b!.id}"]`, {
        timeout: 20_000,
      });
      await page.waitForSelector(`${row} >> text=Acknowledged by api`);
      const [f] = await sql<{ n: number }[]>`
        select count(*)::int as n from alerts where state = 'firing'`;
      match(
        await page.locator("[data-firing]").innerText(),
        new RegExp(
          `^${f!.n} alerts firing · updated \\d\\d:\\d\\d:\\d\\d UTC$`,
        ),
      );

      await page.goto(`${server.url}/pricing`);
      await page.waitForSelector(
        '[data-island="ApprovalQueue"][data-hydrated="true"]',
        {
          state: "attached",
        },
      );
      assertEquals(
        await page.locator("#api-token").count(),
        0,
        "no second ask",
      );
      match(await page.title(), /Pricing/);
      assertEquals(problems, []);
    } finally {
      await chrome.close();
      await server.stop();
    }
  },
);
