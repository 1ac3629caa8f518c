import {
  deepStrictEqual as assertEquals,
  ok,
  throws,
} from "node:assert/strict";
import {
  INGEST_STREAMS,
  parseAlertChannels,
  parseIngestSources,
} from "./config_lists.ts";
import { STREAM_NAMES } from "./stream/topics.ts";
import { ConfigError, loadConfig } from "./config.ts";

const TOKEN = "tok-0123456789abcdef";

Deno.test("config lists - ingest sources name their streams; * means all of them", () => {
  assertEquals([...INGEST_STREAMS], STREAM_NAMES);
  assertEquals(
    parseIngestSources(
      `pos inventory,clickstream ${TOKEN};\n feed * ${TOKEN}x`,
    ),
    [
      { name: "pos", streams: ["inventory", "clickstream"], token: TOKEN },
      { name: "feed", streams: [...INGEST_STREAMS], token: `${TOKEN}x` },
    ],
  );
});

Deno.test("config lists - a bad entry is named by position and name, never by its secret", () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => parseIngestSources(`pos orders ${TOKEN}`),
      /entry 1 \("pos"\) names unknown stream "orders"/,
    ],
    [
      () => parseIngestSources("pos inventory short"),
      /shorter than 16 characters/,
    ],
    [
      () => parseIngestSources(`a * ${TOKEN}; b * ${TOKEN}`),
      /entry 2 \("b"\) reuses another source's token/,
    ],
    [
      () => parseAlertChannels("ops webhook https://x.example/hook"),
      /entry 1 \("ops"\) has a secret shorter/,
    ],
    [
      () => parseAlertChannels("ops email https://x.example/hook"),
      /expected webhook or slack/,
    ],
    [
      () => parseAlertChannels(`ops slack ftp://secret-path ${TOKEN}`),
      /no valid http\(s\) URL/,
    ],
  ];
  for (const [f, re] of cases) {
    throws(f, (err: Error) => {
      ok(re.test(err.message), err.message);
      ok(!err.message.includes(TOKEN) && !err.message.includes("secret-path"));
      return true;
    });
  }
});

Deno.test("config lists - ALERT_CHANNELS gives webhooks their secret; a mistake stops start-up naming the variable", () => {
  const c = loadConfig({
    ALERT_CHANNELS:
      `ops webhook https://a.example/h ${TOKEN}; team slack https://hooks.example/T/B/X`,
  });
  assertEquals(c.alertChannels.map((ch) => [ch.name, ch.kind, ch.secret]), [
    ["ops", "webhook", TOKEN],
    ["team", "slack", ""],
  ]);
  throws(
    () => loadConfig({ INGEST_TOKENS: "x" }),
    (err: Error) =>
      err instanceof ConfigError &&
      /^Cannot read environment variable INGEST_TOKENS: entry 1/.test(
        err.message,
      ),
  );
});
