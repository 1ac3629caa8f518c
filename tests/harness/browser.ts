/**
 * Browser tests run in Debian's Chromium (dev/browser.ts). Where it is
 * missing they skip loudly, and fail under CI=true.
 */
import { chromiumProblem } from "../../dev/browser.ts";
import { IN_CI } from "./db.ts";

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
