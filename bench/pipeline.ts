/**
 * The embedded pipeline benchmark (`deno task bench`):
 * 1. throughput: generators at full speed into the file-backed log while the
 *    three consumer workers commit to PGlite (or DATABASE_URL): events/s from
 *    the first produced event to the last committed row;
 * 2. latency: a fixed offered load (`--load` events/s, default 1,000) for
 *    `--seconds` (default 20): p50/p99 event-to-row latency from the event's
 *    timestamp to its commit.
 */
import { loadConfig, parseArgs } from "../lib/config.ts";
import { openDatabase } from "../lib/db/mod.ts";
import { FileLog } from "../lib/stream/file_log.ts";
import { STREAMS, topicSpecs } from "../lib/stream/topics.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { startProcessor } from "../workers/consumers.ts";
import { ShopSimulator } from "../lib/generators/mod.ts";
import { configureLog } from "../lib/log.ts";
import { progress } from "../lib/progress.ts";
import { percentile } from "./stats.ts";
import { loadAverage, peakRss } from "./kafka_parts.ts";

const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export async function run(args: string[]): Promise<void> {
  configureLog({ level: "warn" });
  const { flags } = parseArgs(args);
  const json = flags.has("json");
  const say = (line: string) =>
    (json ? Deno.stderr : Deno.stdout).writeSync(
      new TextEncoder().encode(line + "\n"),
    );
  const rss = peakRss(100);
  const loadBefore = await loadAverage();
  const total = Number(flags.get("events") ?? 200_000);
  const load = Number(flags.get("load") ?? 1000);
  const seconds = Number(flags.get("seconds") ?? 20);
  const dir = await Deno.makeTempDir({ prefix: "bench_pipeline_" });
  const config = loadConfig({
    ...Deno.env.toObject(),
    DATA_DIR: dir,
    EMBEDDED_PG_PORT: "0",
  });
  const db = await openDatabase(config);
  const log = new FileLog(`${dir}/log`);
  await log.ensureTopics(topicSpecs());
  const bus = new CommitBus();
  let committed = 0;
  let latencies: number[] = [];
  bus.subscribe((s) => {
    committed += s.accepted + s.refused + s.rejected + s.duplicates;
    for (const l of s.latenciesMs) latencies.push(l);
  });
  const processor = await startProcessor({ config, sql: db.sql, log, bus });
  say(
    `Embedded pipeline benchmark on ${db.description}, batch ${config.batchSize} / ${config.batchWaitMs} ms; load average before: ${loadBefore}`,
  );

  // 1. Throughput: produce everything as fast as possible, in the shop's stream mix.
  const sim = new ShopSimulator({ seed: "bench" });
  const t0 = performance.now();
  let produced = 0;
  const meter = progress({ unit: "events" });
  const report = () =>
    meter.update(
      "  committed",
      committed,
      total,
      `${fmt.format(produced)} produced`,
    );
  report();
  while (produced < total) {
    const now = Date.now();
    const chunk = {
      clickstream: [] as string[],
      inventory: [] as string[],
      competitor: [] as string[],
    };
    for (let i = 0; i < 1000 && produced < total; i++, produced++) {
      const r = i % 100;
      const stream = r < 82
        ? "clickstream"
        : r < 98
        ? "inventory"
        : "competitor";
      chunk[stream].push(JSON.stringify(sim.make(stream, now)));
    }
    for (
      const [stream, values] of Object.entries(chunk) as [
        keyof typeof STREAMS,
        string[],
      ][]
    ) {
      await log.send(
        STREAMS[stream].topic,
        values.map((v) => ({
          key: JSON.parse(v).product_id ?? null,
          value: v,
        })),
      );
    }
    report();
    await new Promise((r) => setTimeout(r, 0)); // let the consumers run, as a separate producer would
  }
  const produceS = (performance.now() - t0) / 1000;
  while (committed < total) {
    await new Promise((r) => setTimeout(r, 20));
    report();
  }
  const totalS = (performance.now() - t0) / 1000;
  meter.end();
  const peakThroughput = rss.stop();
  const rss2 = peakRss(100);
  say(
    `Throughput: ${fmt.format(total)} events produced in ${
      produceS.toFixed(1)
    } s, all committed in ${totalS.toFixed(1)} s`,
  );
  say(
    `  => ${fmt.format(total / totalS)} events/s end to end (peak RSS ${
      fmt.format(peakThroughput)
    } MiB, sampled every 100 ms)`,
  );

  // 2. Latency at a fixed offered load.
  latencies = [];
  const live = new ShopSimulator({ seed: "bench-live", rate: load / 9.5 }); // rate 1 is ~9.5 events/s in all (9.1 clicks, ~0.1 stock moves, 0.29 prices)
  const end = Date.now() + seconds * 1000;
  say(`Latency: offering ~${fmt.format(load)} events/s for ${seconds} s ...`);
  while (Date.now() < end) {
    const byTopic = new Map<string, { key: string | null; value: string }[]>();
    for (const e of live.due(Date.now())) {
      const topic = STREAMS[e.stream].topic;
      const list = byTopic.get(topic) ?? [];
      list.push({
        key: "product_id" in e.event ? e.event.product_id : null,
        value: JSON.stringify(e.event),
      });
      byTopic.set(topic, list);
    }
    for (const [topic, messages] of byTopic) await log.send(topic, messages);
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 500));
  const sorted = latencies.sort((a, b) => a - b);
  say(
    `  => ${
      fmt.format(sorted.length / seconds)
    } events/s committed; event-to-row latency ` +
      `p50 ${fmt.format(percentile(sorted, 0.5))} ms, p99 ${
        fmt.format(percentile(sorted, 0.99))
      } ms, ` +
      `max ${fmt.format(sorted.at(-1) ?? NaN)} ms`,
  );
  const peakLatency = rss2.stop();
  const m = Deno.memoryUsage();
  say(
    `Peak RSS ${fmt.format(Math.max(peakThroughput, peakLatency))} MiB; now ${
      fmt.format(m.rss / 2 ** 20)
    } MiB: V8 heap ${fmt.format(m.heapTotal / 2 ** 20)} MiB, external ${
      fmt.format(m.external / 2 ** 20)
    } MiB (the rest: PGlite's WebAssembly memory and code, the runtime)`,
  );
  if (json) {
    Deno.stdout.writeSync(
      new TextEncoder().encode(
        JSON.stringify({
          events: total,
          events_per_s: Math.round(total / totalS),
          p50_ms: percentile(sorted, 0.5),
          p99_ms: percentile(sorted, 0.99),
          latency_load_per_s: load,
          peak_rss_mib: Math.round(Math.max(peakThroughput, peakLatency)),
          load_before: loadBefore,
        }) + "\n",
      ),
    );
  }
  await processor.stop();
  await log.close();
  await db.close();
  await Deno.remove(dir, { recursive: true });
}
