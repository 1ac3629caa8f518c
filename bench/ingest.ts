/**
 * `deno task bench --ingest`: events per second through the ingest API.
 * 1. starts `main.ts` with the processor and web roles as a child process
 *    (embedded log and PGlite; `--pg` a fresh database on DATABASE_URL's
 *    server; `--kafka` the broker at KAFKA_BROKERS);
 * 2. builds `--events` (default 200,000) clickstream events as NDJSON bodies
 *    of `--body` (default 1,000) events, before the clock starts;
 * 3. `--clients` (default 4) post them back to back: events/s accepted
 *    (every answer a 202 with all accepted) from the first request to the last
 *    answer, and request latency;
 * 4. waits until the consumers have committed them all: events/s end to end.
 * The load average before and after is printed: on a shared machine it says
 * how much of the result was ours.
 */
import { parseArgs } from "../lib/config.ts";
import { configureLog, say } from "../lib/log.ts";
import { connect, type Sql } from "../lib/db/mod.ts";
import { ShopSimulator } from "../lib/generators/mod.ts";
import { startPlatform } from "../dev/app.ts";
import { type ScratchDatabase, scratchDatabase } from "../dev/db.ts";
import { freePort } from "../dev/ports.ts";
import { percentile } from "./stats.ts";

const TOKEN = "bench-ingest-token-0123456789";
const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const load = () => Deno.loadavg().map((l) => l.toFixed(2)).join(" ");

function bodies(events: number, size: number): string[] {
  const sim = new ShopSimulator({ seed: "bench-ingest" });
  const out: string[] = [];
  for (let left = events; left > 0; left -= size) {
    const now = Date.now();
    const lines: string[] = [];
    for (let i = 0; i < Math.min(size, left); i++) {
      lines.push(JSON.stringify(sim.make("clickstream", now)));
    }
    out.push(lines.join("\n") + "\n");
  }
  return out;
}

async function postAll(url: string, list: string[], clients: number) {
  const latencies: number[] = [];
  let next = 0, accepted = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < list.length) {
      const body = list[next++]!;
      const t0 = performance.now();
      const res = await fetch(`${url}/api/ingest/clickstream`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          "Content-Type": "application/x-ndjson",
        },
        body,
      });
      const answer = await res.json();
      latencies.push(performance.now() - t0);
      if (res.status !== 202 || answer.rejected !== 0) {
        throw new Error(
          `ingest answered ${res.status}: ${
            JSON.stringify(answer).slice(0, 300)
          }`,
        );
      }
      accepted += answer.accepted;
    }
  }));
  return { accepted, latencies: latencies.sort((a, b) => a - b) };
}

async function committed(sql: Sql): Promise<number> {
  const [r] = await sql<{ n: string }[]>`
    select coalesce(sum(next_offset), 0)::text as n from consumer_offsets`;
  return Number(r!.n);
}

/** The platform's environment: processor and web roles, embedded unless `--pg` / `--kafka`. */
async function platformEnv(
  flags: Map<string, string>,
  dir: string,
  pgPort: number,
) {
  let scratch: ScratchDatabase | undefined;
  const env: Record<string, string> = {
    DATA_DIR: dir,
    EMBEDDED_PG_PORT: String(pgPort),
    ROLE: "processor,web",
    INGEST_TOKENS: `bench clickstream ${TOKEN}`,
    PORT: "0",
    METRICS_PORT: "0",
    STATS_INTERVAL_MS: "0",
    LOG_LEVEL: "info",
  };
  if (flags.has("pg")) {
    env.DATABASE_URL = (scratch = await scratchDatabase("bench_ingest")).url;
  }
  if (flags.has("kafka")) {
    env.KAFKA_BROKERS = Deno.env.get("KAFKA_BROKERS") ?? "";
  }
  return { env, scratch };
}

export async function run(args: string[]): Promise<void> {
  configureLog({ level: "warn" });
  const { flags } = parseArgs(args);
  const total = Number(flags.get("events") ?? 200_000);
  const size = Number(flags.get("body") ?? 1000);
  const clients = Number(flags.get("clients") ?? 4);
  const dir = await Deno.makeTempDir({ prefix: "bench_ingest_" });
  const pgPort = freePort();
  const { env, scratch } = await platformEnv(flags, dir, pgPort);
  say(
    `Building ${fmt.format(total)} events in bodies of ${fmt.format(size)} ...`,
  );
  const list = bodies(total, size);
  const platform = await startPlatform(env);
  const sql = connect({
    url: env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${pgPort}/postgres`,
    max: 1,
  });
  try {
    const where = `${env.KAFKA_BROKERS ? "Kafka" : "embedded log"} + ${
      scratch ? "PostgreSQL" : "PGlite"
    }`;
    say(
      `Ingest API benchmark (${where}), ${clients} clients; load average before: ${load()}`,
    );
    const t0 = performance.now();
    const { accepted, latencies } = await postAll(platform.url, list, clients);
    const apiS = (performance.now() - t0) / 1000;
    say(
      `  API: ${fmt.format(accepted)} events accepted in ${
        apiS.toFixed(2)
      } s => ${fmt.format(accepted / apiS)} events/s (request p50 ${
        fmt.format(percentile(latencies, 0.5))
      } ms, p99 ${
        fmt.format(percentile(latencies, 0.99))
      } ms); load average: ${load()}`,
    );
    while (await committed(sql) < total) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const allS = (performance.now() - t0) / 1000;
    say(
      `  end to end: all committed after ${allS.toFixed(2)} s => ${
        fmt.format(total / allS)
      } events/s; load average after: ${load()}`,
    );
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
    await platform.stop();
    await scratch?.drop();
    await Deno.remove(dir, { recursive: true });
  }
}
