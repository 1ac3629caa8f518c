/**
 * `deno task bench --kafka`: the pipeline on Apache Kafka and PostgreSQL.
 * 0. parts: `--backlog` events (default 200,000) produced with no processor
 *    running (the producer alone), then drained by the processor alone;
 * 1. throughput: `--events` (default 1,000,000) mixed events produced as fast
 *    as possible (a producer in a worker) while the processor role commits
 *    them: events/s from the first produce to the last committed row;
 * 2. latency: a fixed offered load (`--load`, default 5,000 events/s) for
 *    `--seconds` (default 30): p50/p99 from each event's timestamp to the
 *    commit of its row;
 * and the processor's peak RSS. Uses KAFKA_BROKERS and DATABASE_URL when set,
 * else a local broker and a fresh database on 127.0.0.1:5432.
 * Tuning flags: --batch-size, --batch-wait-ms, --concurrency, --pool.
 */
import { loadConfig, parseArgs } from "../lib/config.ts";
import { openDatabase } from "../lib/db/mod.ts";
import { KafkaLog } from "../lib/stream/kafka_log.ts";
import { type LocalKafka, startLocalKafka } from "../dev/kafka.ts";
import { scratchDatabase } from "../dev/db.ts";
import { topicSpecs } from "../lib/stream/topics.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { startProcessor } from "../workers/consumers.ts";
import { configureLog, say } from "../lib/log.ts";
import { progress } from "../lib/progress.ts";
import { percentile } from "./stats.ts";

const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** Runs the producer worker with `msg`; `onProgress` sees the running count. */
function produce(
  msg: Record<string, unknown>,
  onProgress: (n: number) => void,
): Promise<number> {
  const worker = new Worker(new URL("./kafka_producer.ts", import.meta.url), {
    type: "module",
  });
  return new Promise((resolve, reject) => {
    worker.onmessage = (
      e: MessageEvent<{ produced: number; done?: boolean }>,
    ) => {
      onProgress(e.data.produced);
      if (e.data.done) {
        worker.terminate();
        resolve(e.data.produced);
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      reject(new Error(`Producer worker failed: ${e.message}`));
    };
    worker.postMessage(msg);
  });
}

/** DATABASE_URL when set (kept), else a scratch database on TEST_DATABASE_URL's server (dropped). */
function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const fromEnv = Deno.env.get("DATABASE_URL");
  if (fromEnv) return Promise.resolve({ url: fromEnv, drop: async () => {} });
  return scratchDatabase("bench_kafka");
}

export async function run(args: string[]): Promise<void> {
  configureLog({ level: "warn" });
  const { flags } = parseArgs(args);
  const total = Number(flags.get("events") ?? 1_000_000);
  const load = Number(flags.get("load") ?? 5000);
  const seconds = Number(flags.get("seconds") ?? 30);
  const concurrency = Number(flags.get("concurrency") ?? 6);
  let broker: LocalKafka | null = null;
  let brokers = Deno.env.get("KAFKA_BROKERS") ?? "";
  const kafkaDir = await Deno.makeTempDir({ prefix: "bench_kafka_" });
  if (!brokers) {
    broker = await startLocalKafka({ dataDir: kafkaDir });
    brokers = broker.brokers;
  }
  const database = await freshDatabase();
  const prefix = `bench${crypto.randomUUID().slice(0, 6)}.`;
  const config = loadConfig({
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers,
    TOPIC_PREFIX: prefix,
    BATCH_SIZE: flags.get("batch-size") ?? "2000",
    BATCH_WAIT_MS: flags.get("batch-wait-ms") ?? "20",
    DB_POOL_MAX: flags.get("pool") ?? "10",
  });
  const db = await openDatabase(config);
  const log = await KafkaLog.open({
    brokers: [brokers],
    clientId: "bench",
    tuning: { concurrency },
  });
  await log.ensureTopics(topicSpecs(prefix));
  const bus = new CommitBus();
  let committed = 0;
  let latencies: number[] = [];
  bus.subscribe((s) => {
    committed += s.accepted + s.refused + s.rejected + s.duplicates;
    for (const l of s.latenciesMs) latencies.push(l);
  });
  let peakRss = 0;
  const rssTimer = setInterval(
    () => peakRss = Math.max(peakRss, Deno.memoryUsage().rss),
    250,
  );
  const load0 = await Deno.readTextFile("/proc/loadavg").catch(() => "?");
  say(`Kafka benchmark: broker ${brokers}, ${db.description}`);
  say(
    `  batch ${config.batchSize} / ${config.batchWaitMs} ms, ${concurrency} partitions per topic at once, pool ${config.dbPoolMax}; load average before: ${load0.trim()}`,
  );

  // 0. The producer alone, then the processor alone on that backlog.
  const backlog = Number(flags.get("backlog") ?? 200_000);
  let tb = performance.now();
  await produce({ brokers, prefix, mode: "burst", total: backlog }, () => {});
  const produceAlone = backlog / ((performance.now() - tb) / 1000);
  tb = performance.now();
  const processor = await startProcessor({ config, sql: db.sql, log, bus });
  while (committed < backlog) await new Promise((r) => setTimeout(r, 20));
  const drainAlone = backlog / ((performance.now() - tb) / 1000);
  say(
    `Parts: producer alone ${
      fmt.format(produceAlone)
    } events/s; processor alone drains ${
      fmt.format(drainAlone)
    } events/s (group join included)`,
  );
  committed -= backlog;

  // 1. Throughput.
  let produced = 0;
  const t0 = performance.now();
  const meter = progress({ unit: "events", everyMs: 5000 });
  const report = () =>
    meter.update(
      "  committed",
      committed,
      total,
      `${fmt.format(produced)} produced`,
    );
  report();
  await produce({ brokers, prefix, mode: "burst", total }, (n) => {
    produced = n;
    report();
  });
  const produceS = (performance.now() - t0) / 1000;
  while (committed < total) {
    await new Promise((r) => setTimeout(r, 20));
    report();
  }
  const totalS = (performance.now() - t0) / 1000;
  meter.end();
  say(
    `Throughput: ${fmt.format(total)} events produced in ${
      produceS.toFixed(1)
    } s, all committed in ${totalS.toFixed(1)} s`,
  );
  say(
    `  => ${
      fmt.format(total / totalS)
    } events/s sustained, produce to committed rows`,
  );

  // 2. Latency at a fixed offered load.
  latencies = [];
  const before = committed;
  say(`Latency: offering ${fmt.format(load)} events/s for ${seconds} s ...`);
  const offered = await produce({
    brokers,
    prefix,
    mode: "rate",
    load,
    seconds,
  }, () => {});
  while (committed - before < offered) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const sorted = latencies.sort((a, b) => a - b);
  say(
    `  => ${
      fmt.format(offered / seconds)
    } events/s offered and committed; event-to-row latency ` +
      `p50 ${fmt.format(percentile(sorted, 0.5))} ms, p99 ${
        fmt.format(percentile(sorted, 0.99))
      } ms, ` +
      `max ${fmt.format(sorted.at(-1) ?? NaN)} ms`,
  );
  clearInterval(rssTimer);
  const load1 = await Deno.readTextFile("/proc/loadavg").catch(() => "?");
  say(
    `Peak RSS of the processor process (producer worker included): ${
      fmt.format(peakRss / 2 ** 20)
    } MiB; load average after: ${load1.trim()}`,
  );

  await processor.stop();
  await log.close();
  await db.close();
  await database.drop();
  await broker?.stop();
  await Deno.remove(kafkaDir, { recursive: true }).catch(() => {});
}
