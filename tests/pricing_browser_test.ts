/**
 * Pricing in a real browser (Debian's Chromium): the overview, /pricing, the
 * product page and /analytics/price show the same numbers for one run, and
 * an analyst approves a recommendation through the island, token and all.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import type { Page } from "playwright-core";
import { dbTest } from "./harness/db.ts";
import { ignoreBrowser } from "./harness/browser.ts";
import { seedShop } from "./harness/web_seed.ts";
import { observeAll, purchases, strategy } from "./harness/pricing.ts";
import { launchChromium } from "../dev/browser.ts";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { ensureModels } from "../lib/models/build.ts";
import { runPricing } from "../lib/pricing/engine.ts";
import { pricingOptionsFrom } from "../lib/pricing/thresholds.ts";
import { money, percent, signedPct } from "../lib/format.ts";
import { createApp } from "../routes/app.ts";
import { serve } from "../workers/web.ts";

const TOKEN = "browser-approval-token";

function ignoreUnlessChromium(name: string, fn: Parameters<typeof dbTest>[1]) {
  if (ignoreBrowser) Deno.test({ name, ignore: true, fn: () => {} });
  else dbTest(name, fn);
}

/** The text of the table row that links to `product` on the open page. */
async function rowText(page: Page, table: string, product: string) {
  const row = page.locator(`${table} tr`, {
    has: page.locator(`a[href="/pricing/${product}"]`),
  });
  return (await row.first().innerText()).replace(/\s+/g, " ");
}

ignoreUnlessChromium(
  "pricing browser - one run shows the same numbers on the overview, /pricing, the product page and /analytics/price",
  async ({ sql }) => {
    await seedShop(sql, { clicks: 400, moves: 60, prices: 60 });
    await ensureModels(sql);
    await observeAll(sql, "P013", 250, new Date(Date.now() - 60_000));
    await purchases(sql, "P013", 1, new Date(Date.now() - 120_000));
    await strategy(sql, "default", "", { autoApply: null });
    await runPricing(sql, pricingOptionsFrom(loadConfig({})));
    const [r] = await sql<
      {
        recommended_price: string;
        price_gap_pct: string;
        confidence_score: string;
        current_price: string;
      }[]
    >`select recommended_price::text, price_gap_pct::text, confidence_score::text, current_price::text
      from pricing_recommendations where product_id = 'P013'`;
    const want = {
      recommended: money(Number(r!.recommended_price)),
      gap: signedPct(Number(r!.price_gap_pct)),
      confidence: percent(Number(r!.confidence_score)),
    };
    const web = createApp({
      config: loadConfig({ API_TOKEN: TOKEN }),
      sql,
      bus: new CommitBus(),
    });
    const server = serve(web, { host: "127.0.0.1", port: 0 });
    const chrome = await launchChromium();
    try {
      const page = await chrome.browser.newPage({
        viewport: { width: 1440, height: 900 },
      });
      const seen: Record<string, string> = {};
      await page.goto(`${server.url}/`);
      seen.overview = await rowText(page, "#latest-recommendations", "P013");
      await page.goto(`${server.url}/pricing`);
      await page.waitForSelector(
        '[data-island="SortableTable"][data-hydrated="true"]',
        {
          state: "attached",
        },
      );
      seen.pricing = await rowText(page, "table.sortable", "P013");
      await page.goto(`${server.url}/pricing/P013`);
      seen.product = (await page.locator("#recommendation-facts").innerText())
        .replace(/\s+/g, " ");
      await page.goto(`${server.url}/analytics/price?range=24h`);
      seen.analytics = await rowText(page, "#price-positions", "P013");
      for (const [where, text] of Object.entries(seen)) {
        ok(
          text.includes(want.gap),
          `${where} shows the gap ${want.gap}: ${text}`,
        );
        ok(
          text.includes(want.confidence),
          `${where} shows the confidence ${want.confidence}: ${text}`,
        );
        if (where !== "analytics") {
          ok(
            text.includes(want.recommended),
            `${where} shows ${want.recommended}: ${text}`,
          );
        }
      }
    } finally {
      await chrome.close();
      await server.stop();
    }
  },
);

ignoreUnlessChromium(
  "pricing browser - an analyst approves through the island: token asked once, price applied, row gone",
  async ({ sql }) => {
    await observeAll(sql, "P013", 250, new Date(Date.now() - 60_000));
    await purchases(sql, "P013", 1, new Date(Date.now() - 120_000));
    await strategy(sql, "default", "", { autoApply: null });
    await runPricing(sql, pricingOptionsFrom(loadConfig({})));
    const [r] = await sql<{ id: string; price: string }[]>`
      select recommendation_id::text as id, recommended_price::text as price
      from pricing_recommendations where product_id = 'P013'`;
    const web = createApp({
      config: loadConfig({ API_TOKEN: TOKEN }),
      sql,
      bus: new CommitBus(),
    });
    const server = serve(web, { host: "127.0.0.1", port: 0 });
    const chrome = await launchChromium();
    try {
      const page = await chrome.browser.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(e.message));

      await page.goto(`${server.url}/pricing`);
      await page.waitForSelector(
        '[data-island="ApprovalQueue"][data-hydrated="true"]',
        {
          state: "attached",
        },
      );
      // A wrong token is refused and forgotten; the right one is kept for the tab.
      await page.fill("#api-token", "wrong");
      await page.click('form:has(#api-token) button[type="submit"]');
      await page.click(`tr[data-recommendation="${r!.id}"] button.primary`);
      await page.waitForSelector("text=The server refused that token");
      await page.fill("#api-token", TOKEN);
      await page.click('form:has(#api-token) button[type="submit"]');
      await page.click(`tr[data-recommendation="${r!.id}"] button.primary`);
      await page.waitForSelector(`[data-outcome="${r!.id}"]`);
      ok(
        (await page.locator(`[data-outcome="${r!.id}"]`).innerText()).includes(
          money(Number(r!.price)),
        ),
      );
      assertEquals(
        await page.locator(`tr[data-recommendation="${r!.id}"]`).count(),
        0,
      );
      const [p] = await sql<{ price: string }[]>`
        select current_price::text as price from products where product_id = 'P013'`;
      assertEquals(p!.price, r!.price);
      assertEquals(problems, []);
    } finally {
      await chrome.close();
      await server.stop();
    }
  },
);
