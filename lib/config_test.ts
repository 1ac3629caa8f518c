import {
  deepStrictEqual as assertEquals,
  match,
  throws,
} from "node:assert/strict";
import { ConfigError, helpText, loadConfig, SETTINGS } from "./config.ts";

Deno.test("config - defaults are the embedded mode, bound to loopback", () => {
  const c = loadConfig({});
  assertEquals([c.databaseUrl, c.kafkaBrokers, c.host, c.dataDir], [
    "",
    "",
    "127.0.0.1",
    "./data",
  ]);
  assertEquals(c.roles, ["generators", "processor", "web", "jobs"]);
  assertEquals(c.lakeDir, "./data/lake");
  assertEquals(
    [c.logFsync, c.logSegmentBytes, c.logRetentionCheckMs],
    ["always", 64 * 1024 * 1024, 300_000],
  );
});

Deno.test("config - a flag wins over its environment variable", () => {
  const c = loadConfig({ GENERATOR_RATE: "5", ROLE: "web" }, [
    "--rate",
    "100",
    "--role=processor,jobs",
  ]);
  assertEquals([c.rate, c.roles], [100, ["processor", "jobs"]]);
});

Deno.test("config - a bad value fails in one sentence naming the variable or flag", () => {
  throws(() => loadConfig({ BATCH_SIZE: "lots" }), (e: Error) => {
    match(
      e.message,
      /^Cannot read environment variable BATCH_SIZE: expected a non-negative integer, got "lots"$/,
    );
    return e instanceof ConfigError;
  });
  throws(
    () => loadConfig({}, ["--role", "printer"]),
    /option "--role": unknown role "printer"/,
  );
  throws(
    () => loadConfig({}, ["--colour", "red"]),
    /Unknown option "--colour"/,
  );
  throws(
    () => loadConfig({}, ["--port", "99999"]),
    /^ConfigError: Cannot read option "--port": expected at most 65535, got "99999"$/,
  );
  throws(
    () => loadConfig({ EMBEDDED_PG_PORT: "70000" }),
    /environment variable EMBEDDED_PG_PORT: expected at most 65535/,
  );
  assertEquals(loadConfig({ METRICS_PORT: "65535" }).metricsPort, 65535);
  throws(
    () => loadConfig({ GENERATOR_USERS: "0" }),
    /^ConfigError: Cannot read GENERATOR_USERS: must be at least 1, got 0$/,
  );
  throws(
    () => loadConfig({ GENERATOR_CUSTOMERS: "0" }),
    /^ConfigError: Cannot read GENERATOR_CUSTOMERS: must be at least 1, got 0$/,
  );
  assertEquals(loadConfig({}).customers, 5000);
  throws(
    () => loadConfig({ LOG_FORMAT: "xml" }),
    /LOG_FORMAT: expected text or json/,
  );
  throws(
    () => loadConfig({ LOG_FSYNC: "sometimes" }),
    /^ConfigError: Cannot read environment variable LOG_FSYNC: expected always or never, got "sometimes"$/,
  );
  throws(
    () => loadConfig({ LOG_SEGMENT_BYTES: "100" }),
    /LOG_SEGMENT_BYTES: must be between 4096 and 1073741824, got 100/,
  );
});

Deno.test("config - --help lists every role and every setting", () => {
  const help = helpText();
  for (const role of ["all", "generators", "processor", "web", "jobs"]) {
    match(help, new RegExp(`\\n  ${role} `));
  }
  for (const s of SETTINGS) match(help, new RegExp(s.env));
});

Deno.test("config - the standard PG* variables name the server when DATABASE_URL is unset", () => {
  assertEquals(
    loadConfig({
      PGHOST: "db.internal",
      PGPORT: "6543",
      PGDATABASE: "shop",
      PGUSER: "analyst",
      PGPASSWORD: "p@ss word",
    }).databaseUrl,
    "postgres://analyst:p%40ss%20word@db.internal:6543/shop",
  );
  assertEquals(
    loadConfig({ PGDATABASE: "shop" }).databaseUrl,
    "postgres://postgres@127.0.0.1:5432/shop",
  );
  assertEquals(
    loadConfig({ DATABASE_URL: "postgres://a@b/c", PGHOST: "x" }).databaseUrl,
    "postgres://a@b/c",
  );
  assertEquals(loadConfig({ PGUSER: "only-user" }).databaseUrl, "");
});

Deno.test("config - durations read as 90m, 6h or 2d, and anything else fails naming the variable", () => {
  assertEquals(loadConfig({}).pricingMaxAgeMs, 6 * 3_600_000);
  assertEquals(
    loadConfig({ PRICING_MAX_AGE: "90m" }).pricingMaxAgeMs,
    5_400_000,
  );
  assertEquals(
    loadConfig({ PRICING_MAX_AGE: "2d" }).pricingMaxAgeMs,
    172_800_000,
  );
  for (const bad of ["6", "six hours", "-1h", "0h", "1w"]) {
    throws(
      () => loadConfig({ PRICING_MAX_AGE: bad }),
      (e: Error) =>
        e instanceof ConfigError && /PRICING_MAX_AGE/.test(e.message) &&
        e.message.includes(`"${bad}"`),
    );
  }
});

Deno.test("config - the reorder settings refuse a sales window under an hour and a lead time of zero", () => {
  throws(
    () => loadConfig({ SALES_RATE_HOURS: "0" }),
    (e: Error) =>
      e instanceof ConfigError &&
      e.message === "Cannot read SALES_RATE_HOURS: must be at least 1, got 0",
  );
  throws(
    () => loadConfig({ REORDER_LEAD_TIME_HOURS: "0" }),
    (e: Error) =>
      e instanceof ConfigError &&
      e.message ===
        "Cannot read REORDER_LEAD_TIME_HOURS: must be more than 0, got 0",
  );
  assertEquals(loadConfig({ LIVE_LISTEN: "false" }).liveListen, false);
});
