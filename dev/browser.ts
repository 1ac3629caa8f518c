/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser),
 * for the browser tests and the dashboard screenshot. `CHROMIUM_PATH`
 * overrides where it is.
 */
import { type Browser, chromium } from "playwright-core";

/** Path of the Chromium binary: CHROMIUM_PATH, default /usr/bin/chromium. */
export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

function probe(): string | null {
  try {
    return Deno.statSync(CHROMIUM).isFile ? null : `${CHROMIUM} is not a file`;
  } catch {
    return `${CHROMIUM} not found (apt-get install -y chromium)`;
  }
}

/** Why Chromium cannot run here, or null when it can. */
export const chromiumProblem: string | null = probe();

/** A launched browser; `close()` never throws. */
export interface LocalChromium {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium; throws when it is missing. Playwright gives
 * each launch a fresh temporary profile (it refuses `--user-data-dir` here).
 */
export async function launchChromium(): Promise<LocalChromium> {
  if (chromiumProblem) {
    throw new Error(`Cannot launch Chromium: ${chromiumProblem}`);
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
