/**
 * Takes the README's screenshots with realistic data: runs the whole platform
 * (generators at `--rate`, default 3) on a fresh database for `--seconds`
 * (default 90), then photographs, in Debian's Chromium, the Overview and the
 * Pipeline at 1440×900 and the Inventory on a phone (390×844).
 *   deno run -A scripts/dashboard_screenshot.ts [--pg] [--seconds 90] [--out docs]
 */
import type { Browser } from "playwright-core";
import { parseArgs } from "../lib/config.ts";
import { say } from "../lib/log.ts";
import { startPlatform } from "../dev/app.ts";
import { launchChromium } from "../dev/browser.ts";
import { scratchDatabase } from "../dev/db.ts";

const SHOTS = [
  { file: "overview.png", path: "/", width: 1440, height: 900, scale: 1 },
  { file: "pricing.png", path: "/pricing", width: 1440, height: 900, scale: 1 },
  { file: "pricing_P001.png", path: "/pricing/P001", width: 1440, height: 900, scale: 1 },
  { file: "inventory.png", path: "/inventory", width: 1440, height: 900, scale: 1 },
  { file: "inventory_P001.png", path: "/inventory/P001", width: 1440, height: 900, scale: 1 },
  { file: "activity.png", path: "/activity", width: 1440, height: 900, scale: 1 },
  { file: "pipeline.png", path: "/pipeline", width: 1440, height: 900, scale: 1 },
  { file: "analytics.png", path: "/analytics", width: 1440, height: 900, scale: 1 },
  { file: "alerts.png", path: "/alerts", width: 1440, height: 900, scale: 1 },
  { file: "backtest.png", path: "/backtest", width: 1440, height: 900, scale: 1 },
  { file: "strategies.png", path: "/strategies", width: 1440, height: 900, scale: 1 },
];

const { flags } = parseArgs(Deno.args);
const seconds = Number(flags.get("seconds") ?? 90);
const out = flags.get("out") ?? "docs";
const dir = await Deno.makeTempDir({ prefix: "screenshot_" });
const env: Record<string, string> = {
  ...Deno.env.toObject(),
  DATA_DIR: dir,
  PORT: "0",
  EMBEDDED_PG_PORT: "0",
  GENERATOR_RATE: flags.get("rate") ?? "3",
  STATS_INTERVAL_MS: "0",
  TOPIC_PREFIX: "shot_",
};

/** Opens each page of SHOTS and writes its screenshot once the page is live. */
async function photograph(browser: Browser, url: string): Promise<void> {
  for (const s of SHOTS) {
    const page = await browser.newPage({
      viewport: { width: s.width, height: s.height },
      deviceScaleFactor: s.scale,
    });
    await page.goto(`${url}${s.path}`);
    await page.waitForTimeout(2500);
    await page.screenshot({ path: `${out}/${s.file}`, fullPage: true });
    await page.close();
    say(`wrote ${out}/${s.file}`);
  }
}

const scratch = flags.has("pg")
  ? await scratchDatabase("screenshot", {
    server: Deno.env.get("DATABASE_URL"),
  })
  : undefined;
if (scratch) env.DATABASE_URL = scratch.url;
const platform = await startPlatform(env);
const chrome = await launchChromium();
try {
  say(`platform at ${platform.url}; letting it ingest for ${seconds} s...`);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await photograph(chrome.browser, platform.url);
} finally {
  await chrome.close();
  await platform.stop();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await scratch?.drop();
}
