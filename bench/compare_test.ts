import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import {
  compare,
  formatComparison,
  lastJsonObject,
  numericFigures,
} from "./compare.ts";

Deno.test("bench compare - the figures are the numeric leaves of the last JSON line, by dotted path", () => {
  const stdout = [
    "progress: 10%",
    '{"not":"the last"}',
    '{"events_per_s": 41000, "p99_ms": 80, "cpu_s_per_100k": {"drain": {"processor": 1.6}}, "load_before": {"0": "1.0 0.5 0.2"}, "scale": null}',
    "",
  ].join("\n");
  assertEquals(
    [...numericFigures(lastJsonObject(stdout))],
    [["events_per_s", 41000], ["p99_ms", 80], [
      "cpu_s_per_100k.drain.processor",
      1.6,
    ]],
  );
  throws(() => lastJsonObject("no figures\n"), /printed no JSON object/);
});

Deno.test("bench compare - head/base per pair, its median and spread; inputs equal in every run are left out", () => {
  const m = (o: Record<string, number>) => new Map(Object.entries(o));
  const rows = compare([
    {
      base: m({ events: 1e6, rate: 100, rss: 200 }),
      head: m({ events: 1e6, rate: 110, rss: 200 }),
    },
    {
      base: m({ events: 1e6, rate: 80, rss: 210 }),
      head: m({ events: 1e6, rate: 96, rss: 189 }),
    },
    {
      base: m({ events: 1e6, rate: 120, rss: 200 }),
      head: m({ events: 1e6, rate: 108, rss: 220 }),
    },
  ]);
  assertEquals(rows.map((r) => r.figure), ["rate", "rss"]);
  const rate = rows[0]!;
  assertEquals(rate.base, [100, 80, 120]);
  assertEquals(rate.head, [110, 96, 108]);
  assertEquals(rate.ratios.map((x) => Number(x.toFixed(3))), [1.1, 1.2, 0.9]);
  assertEquals(Number(rate.median.toFixed(3)), 1.1);
  assertEquals([rate.min, rate.max].map((x) => Number(x.toFixed(3))), [
    0.9,
    1.2,
  ]);
  const lines = formatComparison(rows);
  assertEquals(lines.length, 3);
  assertEquals(
    lines[1]!.startsWith("rate    1.100 (0.900-1.200)"),
    true,
    lines[1],
  );
});
