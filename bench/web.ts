/**
 * `deno task bench --web`: the dashboard under load while the pipeline ingests.
 * 1. starts the whole platform (`main.ts`, every role) as a child process on a
 *    temporary DATA_DIR, with generators at `--rate` (default 5 = five times
 *    normal shop traffic) into embedded PGlite, or a fresh database on
 *    DATABASE_URL's server when `--pg` is given;
 * 2. lets it ingest for `--warmup` seconds (default 30) so pages have data
 *    and the start-up jobs (models, quality) are done;
 * 3. for each page and API route, `--clients` (default 50) concurrent clients
 *    request it back to back for `--seconds` (default 5): requests/s and
 *    p50/p95/p99 latency; the target is p95 < 50 ms;
 * 4. opens `--viewers` (default 200) live streams and reports the snapshot
 *    rate, which must not grow with the number of viewers.
 */
import { parseArgs } from "../lib/config.ts";
import { configureLog, say } from "../lib/log.ts";
import { startPlatform } from "../dev/app.ts";
import { type ScratchDatabase, scratchDatabase } from "../dev/db.ts";
import { percentile } from "./stats.ts";

const ROUTES = [
  "/",
  "/inventory",
  "/pricing",
  "/pricing?category=phones&sort=price_gap_pct&dir=desc",
  "/pricing/P001",
  "/activity",
  "/api/overview",
  "/api/inventory",
  "/api/pricing",
  "/api/pricing/P001",
  "/api/activity",
  "/api/health",
];

const fmt = (n: number, d = 1) =>
  n.toLocaleString("en-US", {
    maximumFractionDigits: d,
    minimumFractionDigits: d,
  });

async function load(url: string, clients: number, seconds: number) {
  const latencies: number[] = [];
  let errors = 0, bytes = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await fetch(url);
        const size = (await res.arrayBuffer()).byteLength;
        bytes += size;
        if (!res.ok) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  }));
  latencies.sort((a, b) => a - b);
  return {
    n: latencies.length,
    rps: latencies.length / seconds,
    latencies,
    errors,
    bytes,
  };
}

async function liveFanout(url: string, viewers: number, seconds: number) {
  const aborts: AbortController[] = [];
  let messages = 0;
  await Promise.all(Array.from({ length: viewers }, async () => {
    const ac = new AbortController();
    aborts.push(ac);
    const res = await fetch(`${url}/api/live`, { signal: ac.signal });
    (async () => {
      const r = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await r.read();
        if (done) return;
        messages += value.split("event: snapshot").length - 1;
      }
    })().catch(() => {});
  }));
  messages = 0;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const perViewer = messages / viewers / seconds;
  aborts.forEach((a) => a.abort());
  return { perViewer, total: messages / seconds };
}

/** The platform's environment for the bench: its own folder, ports and topics. */
async function benchEnv(
  flags: Map<string, string>,
  dir: string,
  rate: string,
): Promise<{ env: Record<string, string>; scratch?: ScratchDatabase }> {
  const env: Record<string, string> = {
    ...Deno.env.toObject(),
    DATA_DIR: dir,
    PORT: "0",
    EMBEDDED_PG_PORT: "0",
    GENERATOR_RATE: rate,
    STATS_INTERVAL_MS: "0",
    TOPIC_PREFIX: "benchweb_",
    LOG_LEVEL: "info",
    DB_POOL_MAX: flags.get("pool") ?? "10",
  };
  if (!flags.has("pg")) {
    delete env.DATABASE_URL;
    for (const k of ["PGHOST", "PGPORT", "PGDATABASE"]) delete env[k];
    return { env };
  }
  // A fresh database on DATABASE_URL's server (default TEST_DATABASE_URL's).
  const scratch = await scratchDatabase("bench_web", {
    server: Deno.env.get("DATABASE_URL"),
  });
  env.DATABASE_URL = scratch.url;
  return { env, scratch };
}

/** Every route under `clients` concurrent clients; returns the worst p95 (ms). */
async function routes(
  url: string,
  clients: number,
  seconds: number,
): Promise<number> {
  say(
    `${"route".padEnd(48)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${
      "p95 ms".padStart(8)
    } ${"p99 ms".padStart(8)} ${"KB".padStart(6)} errors`,
  );
  let worst = 0;
  for (const route of ROUTES) {
    await load(url + route, 5, 0.5); // warm caches and connections
    const r = await load(url + route, clients, seconds);
    const p95 = percentile(r.latencies, 0.95);
    worst = Math.max(worst, p95);
    say(
      `${route.padEnd(48)} ${fmt(r.rps).padStart(8)} ${
        fmt(percentile(r.latencies, 0.5)).padStart(8)
      } ${fmt(p95).padStart(8)} ${
        fmt(percentile(r.latencies, 0.99)).padStart(8)
      } ${fmt(r.bytes / Math.max(1, r.n) / 1024).padStart(6)} ${r.errors}`,
    );
  }
  return worst;
}

/** Runs the benchmark: see the module comment for the flags. */
export async function run(args: string[]): Promise<void> {
  configureLog({ level: "warn" });
  const { flags } = parseArgs(args);
  const clients = Number(flags.get("clients") ?? 50);
  const seconds = Number(flags.get("seconds") ?? 5);
  const warmup = Number(flags.get("warmup") ?? 30);
  const rate = flags.get("rate") ?? "5";
  const viewers = Number(flags.get("viewers") ?? 200);
  const dir = await Deno.makeTempDir({ prefix: "bench_web_" });
  const { env, scratch } = await benchEnv(flags, dir, rate);
  const platform = await startPlatform(env);
  try {
    const db = flags.has("pg") ? "PostgreSQL" : "embedded PGlite";
    say(`web bench: ${platform.url} (${db}), generators at rate ${rate}`);
    say(`ingesting for ${warmup} s so the pages have data...`);
    await new Promise((r) => setTimeout(r, warmup * 1000));
    say(
      `${clients} concurrent clients, ${seconds} s per route, while ingesting:\n`,
    );
    const worst = await routes(platform.url, clients, seconds);
    say(
      `\nworst p95: ${fmt(worst)} ms (target < 50 ms) -> ${
        worst < 50 ? "MET" : "NOT MET"
      }`,
    );
    const live = await liveFanout(platform.url, viewers, 10);
    say(
      `live feed: ${viewers} open streams received ${
        fmt(live.perViewer, 2)
      } snapshots/s each (${
        fmt(live.total, 0)
      } messages/s written; one snapshot query per burst, whatever the number of viewers)`,
    );
  } finally {
    await platform.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await scratch?.drop();
  }
}
