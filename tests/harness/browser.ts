/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser).
 * Where it is missing, browser tests skip loudly, and fail under CI=true.
 */
import { type Browser, chromium } from "playwright-core";
import { IN_CI } from "./db.ts";

export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

function probe(): string | null {
  try {
    return Deno.statSync(CHROMIUM).isFile ? null : `${CHROMIUM} is not a file`;
  } catch {
    return `${CHROMIUM} not found (apt-get install -y chromium)`;
  }
}

export const chromiumProblem = probe();
if (chromiumProblem) {
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      `\n!!! Chromium: ${chromiumProblem}; browser tests are ${
        IN_CI ? "FAILED (CI=true)" : "SKIPPED"
      }.\n`,
    ),
  );
}

/** True when browser tests must be ignored (no Chromium, not in CI). */
export const ignoreBrowser = chromiumProblem !== null && !IN_CI;

/**
 * Launches headless Chromium; throws when it is missing. Playwright gives
 * each launch a fresh temporary profile (it refuses `--user-data-dir` here).
 */
export async function launchChromium(): Promise<
  { browser: Browser; close(): Promise<void> }
> {
  if (chromiumProblem) {
    throw new Error(`Cannot run browser tests: ${chromiumProblem}`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}
