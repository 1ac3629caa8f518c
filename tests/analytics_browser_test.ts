/**
 * The revenue simulation in a real headless Chromium: changing the
 * elasticity recomputes the dollars in place, keeps the choice in the URL
 * and names a value out of range.
 */
import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { chromium } from "playwright-core";
import { dbTest, IN_CI } from "./harness/db.ts";
import { loadConfig } from "../lib/config.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { createApp } from "../routes/app.ts";
import { withModels } from "./analytics_fixtures.ts";
import { fillPrice } from "./analytics_data.ts";

const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
const haveChromium = await Deno.stat(CHROMIUM).then(() => true, () => false);
if (!haveChromium && !IN_CI) {
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      `\n!!! ${CHROMIUM} is missing: the analytics browser test is SKIPPED.\n`,
    ),
  );
}

const browserTest = haveChromium || IN_CI
  ? dbTest
  : (name: string) => Deno.test({ name, ignore: true, fn() {} });

browserTest(
  "analytics browser - the elasticity input recomputes the simulation and keeps it in the URL",
  async ({ sql }) => {
    await withModels(sql, () => fillPrice(sql));
    const { app } = createApp({
      config: loadConfig({}),
      sql,
      bus: new CommitBus(),
    });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      app.fetch,
    );
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox"],
    });
    try {
      const page = await browser.newPage();
      const base = `http://127.0.0.1:${server.addr.port}`;
      await page.goto(
        `${base}/analytics/price?hours=24&until=2026-01-05T12:00:00Z`,
      );
      await page.waitForSelector(
        '[data-island="AnalyticsRevenueSim"][data-hydrated="true"]',
      );
      const total = page.locator("[data-sim-total]");
      match(
        await total.innerText(),
        /\$200\.00 → \$211\.88 per day \(\+\$11\.88\/day\) at elasticity -1\.5/,
      );

      const input = page.locator('.revenue-sim input[name="elasticity"]');
      await input.fill("-1");
      await page.waitForFunction(() =>
        document.querySelector("[data-sim-total]")?.textContent?.includes(
          "at elasticity -1.",
        )
      );
      match(
        await total.innerText(),
        /\$200\.00 → \$200\.00 per day \(\+\$0\.00\/day\)/,
      );
      assertEquals(new URL(page.url()).searchParams.get("elasticity"), "-1");
      // The window picker keeps the new elasticity, so changing the window does not lose it.
      assertEquals(
        await page.locator('form input[type="hidden"][name="elasticity"]')
          .inputValue(),
        "-1",
      );

      await input.fill("-0.5");
      await page.waitForFunction(() =>
        document.querySelector("[data-sim-total]")?.textContent?.includes(
          "-0.5",
        )
      );
      // 4 × 0.891^−0.5 = 4.2376 units at $44.55 = $188.79: a loss of $11.21 a day.
      match(
        await total.innerText(),
        /\$200\.00 → \$188\.79 per day \(−\$11\.21\/day\)/,
      );

      await input.fill("2");
      const alert = page.locator('.revenue-sim [role="alert"]');
      await alert.waitFor();
      assertEquals(
        await alert.innerText(),
        'Elasticity "2" is out of range: expected a number from -10 to 0',
      );
    } finally {
      await browser.close();
      await server.shutdown();
    }
  },
);
