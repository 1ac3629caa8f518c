/**
 * Takes `docs/screenshot.png` with realistic data: runs the whole platform
 * (generators at `--rate`, default 3) on a fresh database for `--seconds`
 * (default 90), then photographs the Overview in Debian's Chromium.
 *   deno run -A scripts/dashboard_screenshot.ts [--pg] [--seconds 90] [--out docs/screenshot.png]
 */
import { parseArgs } from "../lib/config.ts";
import { say } from "../lib/log.ts";
import { startPlatform } from "../dev/app.ts";
import { launchChromium } from "../dev/browser.ts";
import { scratchDatabase } from "../dev/db.ts";

const { flags } = parseArgs(Deno.args);
const seconds = Number(flags.get("seconds") ?? 90);
const out = flags.get("out") ?? "docs/screenshot.png";
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
  const page = await chrome.browser.newPage({
    viewport: { width: 1440, height: 900 },
  });
  await page.goto(`${platform.url}/`);
  await page.waitForSelector('[data-live-state="live"]');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: out });
  say(`wrote ${out}`);
} finally {
  await chrome.close();
  await platform.stop();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await scratch?.drop();
}
