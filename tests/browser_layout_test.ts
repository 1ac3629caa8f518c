/**
 * Every page in headless Chromium at 1440×900 and at 390×844 (a phone): no
 * page scrolls sideways outside a table that says it scrolls, tables keep
 * their first column in view, chart labels stay inside their charts at 11 px
 * or more, every text style and badge has a contrast of 4.5:1 (3:1 for
 * large text), and the skip link is the first Tab and moves focus to the
 * content. The contrast measured goes to tests/artifacts/contrast.json.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import type { Browser } from "playwright-core";
import { dbTest } from "./harness/db.ts";
import { ignoreBrowser } from "./harness/browser.ts";
import { PAGES, seedDashboard, startDashboard } from "./harness/dashboard.ts";
import {
  chartTextProblems,
  contrastByStyle,
  overflowProblems,
} from "./harness/measure.ts";
import { launchChromium } from "../dev/browser.ts";
import type { Sql } from "../lib/db/mod.ts";

const ARTIFACTS = new URL("./artifacts/", import.meta.url);
await Deno.mkdir(ARTIFACTS, { recursive: true });

const SIZES = [
  { name: "desktop", width: 1440, height: 900, scale: 1 },
  { name: "phone", width: 390, height: 844, scale: 2 },
] as const;

function browserTest(
  name: string,
  fn: (sql: Sql, browser: Browser, url: string) => Promise<void>,
) {
  if (ignoreBrowser) return Deno.test({ name, ignore: true, fn: () => {} });
  dbTest(name, async ({ sql }) => {
    await seedDashboard(sql);
    const { server } = startDashboard(sql);
    const chrome = await launchChromium();
    try {
      await fn(sql, chrome.browser, server.url);
    } finally {
      await chrome.close();
      await server.stop();
    }
  });
}

browserTest(
  "browser layout - at 1440 and 390 px nothing scrolls sideways unannounced, first columns stay, chart labels fit at 11 px",
  async (_sql, browser, url) => {
    const problems: string[] = [];
    for (const size of SIZES) {
      const page = await browser.newPage({
        viewport: { width: size.width, height: size.height },
        deviceScaleFactor: size.scale,
      });
      for (const p of PAGES) {
        await page.goto(url + p.path);
        for (const n of p.islands) {
          await page.waitForSelector(
            `[data-island="${n}"][data-hydrated="true"]`,
            {
              state: "attached",
            },
          );
        }
        // Charts' data tables are part of the page too: open them.
        await page.$$eval(
          "details",
          (ds) => ds.forEach((d) => (d.open = true)),
        );
        const found = [
          ...await page.evaluate(overflowProblems),
          ...await page.evaluate(chartTextProblems),
        ];
        problems.push(...found.map((f) => `${size.name} ${p.path}: ${f}`));
        if (
          size.name === "phone" && ["/inventory", "/pipeline"].includes(p.path)
        ) {
          await page.screenshot({
            path: new URL(`${p.path.slice(1)}-phone.png`, ARTIFACTS).pathname,
            fullPage: true,
          });
        }
      }
      await page.close();
    }
    assertEquals(problems, []);
  },
);

browserTest(
  "browser layout - on a phone the nav wraps whole and the key columns of the big tables show without scrolling",
  async (_sql, browser, url) => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
    });
    await page.goto(`${url}/pricing`);
    const links = await page.$$eval(".nav a", (as) =>
      as.map((a) => {
        const r = a.getBoundingClientRect();
        return r.left >= 0 && r.right <= innerWidth;
      }));
    ok(
      links.length === 7 && links.every(Boolean),
      "every nav link is whole on screen",
    );
    // Sortable tables are cards: the product, its action and prices in view.
    for (const path of ["/pricing", "/inventory"]) {
      await page.goto(url + path);
      const first = await page.$$eval(
        "table.sortable tbody tr:first-child td",
        (tds) =>
          tds.map((td) => {
            const r = td.getBoundingClientRect();
            return {
              label: td.dataset.label,
              inView: r.left >= 0 && r.right <= innerWidth,
            };
          }),
      );
      ok(first.length > 3, path);
      assertEquals(
        first.filter((c) => !c.inView),
        [],
        `${path}: every field of a card in view`,
      );
    }
  },
);

browserTest(
  "browser a11y - every text style and badge has AA contrast on every page, at both sizes",
  async (_sql, browser, url) => {
    const lowest: Record<string, [number, boolean, string]> = {};
    for (const size of SIZES) {
      const page = await browser.newPage({
        viewport: { width: size.width, height: size.height },
      });
      for (const p of PAGES) {
        await page.goto(url + p.path);
        await page.$$eval(
          "details",
          (ds) => ds.forEach((d) => (d.open = true)),
        );
        for (
          const [k, v] of Object.entries(await page.evaluate(contrastByStyle))
        ) {
          if (!lowest[k] || v[0] < lowest[k]![0]) lowest[k] = v;
        }
      }
      await page.close();
    }
    await Deno.writeTextFile(
      new URL("contrast.json", ARTIFACTS),
      JSON.stringify(
        Object.fromEntries(
          Object.entries(lowest).sort((a, b) => a[1][0] - b[1][0]),
        ),
        null,
        1,
      ),
    );
    const failing = Object.entries(lowest).filter(([, [ratio, large]]) =>
      ratio < (large ? 3 : 4.5)
    ).map(([k, [ratio, , sample]]) => `${k} (${ratio}:1, "${sample}")`);
    assertEquals(failing, []);
    for (
      const badge of ["span.badge.raise", "span.badge.lower", "span.badge.hold"]
    ) {
      ok(
        Object.keys(lowest).some((k) => k.startsWith(badge)),
        `${badge} was measured`,
      );
    }
  },
);

browserTest(
  "browser a11y - the skip link is the first Tab and takes the keyboard to the content",
  async (_sql, browser, url) => {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
    });
    for (const path of ["/pricing", "/inventory", "/pipeline"]) {
      await page.goto(url + path);
      await page.keyboard.press("Tab");
      const skip = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement;
        const r = a.getBoundingClientRect();
        return {
          cls: a.className,
          text: a.textContent,
          visible: r.top >= 0 && r.height > 0,
        };
      });
      assertEquals(skip, {
        cls: "skip-link",
        text: "Skip to content",
        visible: true,
      }, path);
      await page.keyboard.press("Enter");
      assertEquals(
        await page.evaluate(() => document.activeElement?.id),
        "main",
        path,
      );
      await page.keyboard.press("Tab");
      ok(
        await page.evaluate(() =>
          document.querySelector("main")!.contains(document.activeElement)
        ),
        `${path}: the next Tab lands in the content, not the navigation`,
      );
    }
  },
);
