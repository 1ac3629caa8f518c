/**
 * The dashboard in a real browser (Debian's Chromium): every page loads
 * without console errors, islands hydrate and respond, and an event
 * committed to the database appears on the open page without a reload.
 * Screenshots of each page go to tests/artifacts/.
 */
import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import type { Page, Request } from "playwright-core";
import { dbTest } from "./harness/db.ts";
import { launchChromium } from "../dev/browser.ts";
import { ignoreBrowser } from "./harness/browser.ts";
import { ingest, seedShop } from "./harness/web_seed.ts";
import { seededEvents } from "./harness/events.ts";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { createApp } from "../routes/app.ts";
import { serve } from "../workers/web.ts";

const ARTIFACTS = new URL("./artifacts/", import.meta.url);
await Deno.mkdir(ARTIFACTS, { recursive: true });

const PAGES = [
  { name: "overview", path: "/", islands: ["LiveStatus", "LiveKpis"] },
  {
    name: "inventory",
    path: "/inventory",
    islands: ["LiveStatus", "InventoryBoard"],
  },
  {
    name: "pricing",
    path: "/pricing",
    islands: ["LiveStatus", "SortableTable"],
  },
  {
    name: "activity",
    path: "/activity",
    islands: ["LiveStatus", "ActivityStreams", "LiveEvents"],
  },
  { name: "product", path: "/pricing/P002", islands: [] },
];

/** Collects console errors and uncaught exceptions of a page. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on(
    "console",
    (m) => m.type() === "error" && problems.push(`console: ${m.text()}`),
  );
  page.on("pageerror", (e) => problems.push(`exception: ${e.message}`));
  // The test's next page.goto cancels what the page still had in flight (the
  // favicon Chromium asks for after a load, an island's fetch after a live
  // update): net::ERR_ABORTED for a request that a later navigation started
  // after is the test leaving the page, not a failure of it.
  let navigations = 0;
  const startedAt = new WeakMap<Request, number>();
  page.on("request", (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) {
      navigations++;
    }
    startedAt.set(r, navigations);
  });
  const cancelledByNavigation = (r: Request) =>
    r.failure()?.errorText === "net::ERR_ABORTED" &&
    (startedAt.get(r) ?? navigations) < navigations;
  page.on(
    "requestfailed",
    (r) =>
      !r.url().endsWith("/api/live") && !cancelledByNavigation(r) &&
      problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`),
  );
  return problems;
}

async function hydrated(page: Page, names: string[]): Promise<void> {
  for (const n of names) {
    await page.waitForSelector(`[data-island="${n}"][data-hydrated="true"]`, {
      state: "attached",
    });
  }
}

function ignoreUnlessChromium(name: string, fn: Parameters<typeof dbTest>[1]) {
  if (ignoreBrowser) Deno.test({ name, ignore: true, fn: () => {} });
  else dbTest(name, fn);
}

ignoreUnlessChromium(
  "browser - pages load without console errors, islands hydrate, commits appear live, a lost connection shows and recovers",
  async ({ sql }) => {
    await seedShop(sql, { clicks: 600, moves: 90, prices: 120 });
    await sql`update inventory_state set current_stock = 0 where product_id = 'P004' and warehouse_id = 'WH-PH'`;
    await sql`update inventory_state set current_stock = 9 where product_id = 'P017' and warehouse_id = 'WH-LAGOS'`;
    const bus = new CommitBus();
    const web = createApp({ config: loadConfig({}), sql, bus });
    const server = serve(web, {
      host: "127.0.0.1",
      port: 0,
    });
    const chrome = await launchChromium();
    try {
      const page = await chrome.browser.newPage({
        viewport: { width: 1400, height: 900 },
      });
      const problems = watch(page);
      for (const p of PAGES) {
        await page.goto(server.url + p.path);
        await hydrated(page, p.islands);
        if (p.islands.includes("LiveStatus")) {
          await page.waitForSelector('[data-live-state="live"]');
        }
        const scripts = await page.locator("script").count();
        assertEquals(
          scripts > 0,
          p.islands.length > 0,
          `${p.name}: JavaScript only where there are islands`,
        );
        await page.screenshot({
          path: new URL(`${p.name}.png`, ARTIFACTS).pathname,
          fullPage: true,
        });
        assertEquals(problems, [], `${p.name} loads cleanly`);
      }

      // An island responds: sorting the pricing table by product name, kept in the URL.
      await page.goto(`${server.url}/pricing`);
      await hydrated(page, ["SortableTable"]);
      await page.click('button[data-sort-key="productName"]');
      await page.waitForURL(/sort=productName&dir=asc/);
      const names = await page.locator("table.sortable tbody tr td:first-child")
        .allInnerTexts();
      assertEquals(names, [...names].sort((a, b) => a.localeCompare(b)));
      await page.click('button[data-sort-key="productName"]');
      await page.waitForURL(/dir=desc/);
      const desc = await page.locator("table.sortable tbody tr td:first-child")
        .allInnerTexts();
      assertEquals(desc, [...names].reverse());

      // A new event committed to the database appears on the open page without a reload.
      await page.goto(`${server.url}/activity`);
      await hydrated(page, ["LiveEvents"]);
      await page.waitForSelector('[data-live-state="live"]');
      const navigations: string[] = [];
      page.on("framenavigated", (f) => navigations.push(f.url()));
      const [e] = seededEvents("clickstream", 1, "browser-live", Date.now());
      bus.publish(await ingest(sql, "clickstream", [e!]));
      await page.waitForSelector(`tr[data-event-id="${e!.event_id}"]`, {
        timeout: 20_000,
      });
      assertEquals(navigations, [], "no reload happened");

      // The overview's KPI cards follow commits too.
      await page.goto(`${server.url}/`);
      await hydrated(page, ["LiveKpis"]);
      const before = await page.locator('[data-kpi="Events"] .kpi-value')
        .innerText();
      const more = seededEvents("clickstream", 25, "browser-more", Date.now());
      bus.publish(await ingest(sql, "clickstream", more));
      await page.waitForFunction(
        (b) =>
          document.querySelector('[data-kpi="Events"] .kpi-value')
            ?.textContent !== b,
        before,
        { timeout: 20_000 },
      );
      match(
        await page.locator('[data-kpi="Events"] .kpi-value').innerText(),
        /^[\d,]+ \/min$/,
      );

      // Readable on a phone.
      const phone = await chrome.browser.newPage({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
      });
      const phoneProblems = watch(phone);
      await phone.goto(server.url + "/");
      await hydrated(phone, ["LiveKpis"]);
      const overflow = await phone.evaluate(() =>
        document.documentElement.scrollWidth - globalThis.innerWidth
      );
      ok(overflow <= 0, `no horizontal page scroll on a phone (${overflow}px)`);
      await phone.screenshot({
        path: new URL("overview-phone.png", ARTIFACTS).pathname,
        fullPage: true,
      });
      assertEquals([...problems, ...phoneProblems], []);

      // Losing the connection shows, and the page reconnects by itself.
      await page.goto(`${server.url}/activity`);
      await page.waitForSelector('[data-live-state="live"]');
      await page.route("**/api/live", (r) => r.abort());
      web.feed.disconnectAll();
      await page.waitForSelector('[data-live-state="down"]', {
        timeout: 20_000,
      });
      ok(
        (await page.locator(".live-status").innerText()).includes(
          "Disconnected",
        ),
      );
      await page.unroute("**/api/live");
      await page.waitForSelector('[data-live-state="live"]', {
        timeout: 20_000,
      });
      const [late] = seededEvents(
        "clickstream",
        1,
        "browser-after-reconnect",
        Date.now(),
      );
      bus.publish(await ingest(sql, "clickstream", [late!]));
      await page.waitForSelector(`tr[data-event-id="${late!.event_id}"]`, {
        timeout: 20_000,
      });
    } finally {
      await chrome.close();
      await server.stop();
    }
  },
);
