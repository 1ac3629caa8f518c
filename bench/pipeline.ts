/**
 * The embedded pipeline benchmark (`deno task bench`):
 * 1. throughput: generators at full speed into the file-backed log while the
 *    three consumer workers commit to PGlite (or DATABASE_URL): events/s from
 *    the first produced event to the last committed row;
 * 2. latency: a fixed offered load (`--load` events/s, default 1,000) for
 *    `--seconds` (default 20): p50/p99 event-to-row latency from the event's
 *    timestamp to its commit.
 *
 * It runs under the V8 flags of `deno task start` (START_V8_FLAGS;
 * `--v8-default` for Deno's own, or set DENO_V8_FLAGS). `--cpu-profile FILE`
 * writes a CPU profile of the throughput phase (profiling.ts).
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
import { percentile, rerunAsDeployed } from "./stats.ts";
import {
  machineReference,
  referenceFigures,
  referenceLine,
} from "./reference.ts";
import { pick } from "./mix.ts";
import { START_V8_FLAGS } from "../lib/db/embedded.ts";
import { startMallocTuning } from "../lib/memory.ts";
import { loadAverage, peakLine, peakRss, type RssPeak } from "./kafka_parts.ts";
import { startCpuProfile } from "./profiling.ts";

const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** What both phases share: output, the log, and what the processor committed. */
interface Bench {
  say(line: string): void;
  log: FileLog;
  /** Latencies are kept only while the latency phase runs (null otherwise). */
  seen: { committed: number; latencies: number[] | null };
}

/** Writes up to `n` events of the shop's stream mix (82 % clicks, 16 % stock, 2 % prices); returns how many. */
async function sendMix(
  log: FileLog,
  sim: ShopSimulator,
  n: number,
): Promise<number> {
  const now = Date.now();
  const chunk = {
    clickstream: [] as string[],
    inventory: [] as string[],
    competitor: [] as string[],
  };
  for (let i = 0; i < n; i++) {
    const stream = pick(i);
    chunk[stream].push(JSON.stringify(sim.make(stream, now)));
  }
  for (const stream of Object.keys(chunk) as (keyof typeof chunk)[]) {
    await log.send(
      STREAMS[stream].topic,
      chunk[stream].map((v) => ({
        key: JSON.parse(v).product_id ?? null,
        value: v,
      })),
    );
  }
  return n;
}

/** 1. Everything produced as fast as possible: events/s end to end and the peak RSS. */
async function throughputPhase(b: Bench, total: number, cpuProfile?: string) {
  const profiler = cpuProfile ? await startCpuProfile(cpuProfile) : null;
  const rss = peakRss(100);
  const sim = new ShopSimulator({ seed: "bench" });
  const t0 = performance.now();
  let produced = 0;
  const meter = progress({ unit: "events" });
  const report = () =>
    meter.update(
      "  committed",
      b.seen.committed,
      total,
      `${fmt.format(produced)} produced`,
    );
  report();
  while (produced < total) {
    produced += await sendMix(b.log, sim, Math.min(1000, total - produced));
    report();
    await new Promise((r) => setTimeout(r, 0)); // let the consumers run, as a separate producer would
  }
  const produceS = (performance.now() - t0) / 1000;
  while (b.seen.committed < total) {
    await new Promise((r) => setTimeout(r, 20));
    report();
  }
  const totalS = (performance.now() - t0) / 1000;
  meter.end();
  const peak = rss.stop();
  if (profiler) {
    await profiler.stop();
    b.say(`CPU profile of the throughput phase: ${cpuProfile}`);
  }
  b.say(
    `Throughput: ${fmt.format(total)} events produced in ${
      produceS.toFixed(1)
    } s, all committed in ${totalS.toFixed(1)} s`,
  );
  b.say(
    `  => ${fmt.format(total / totalS)} events/s end to end (peak RSS ${
      peakLine(peak)
    }, sampled every 100 ms)`,
  );
  return { rate: total / totalS, peak };
}

/** 2. A fixed offered load: event-to-row latencies, sorted, and the peak RSS. */
async function latencyPhase(b: Bench, load: number, seconds: number) {
  const rss = peakRss(100);
  b.seen.latencies = [];
  const live = new ShopSimulator({ seed: "bench-live", rate: load / 9.5 }); // rate 1 is ~9.5 events/s in all (9.1 clicks, ~0.1 stock moves, 0.29 prices)
  const end = Date.now() + seconds * 1000;
  b.say(`Latency: offering ~${fmt.format(load)} events/s for ${seconds} s ...`);
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
    for (const [topic, messages] of byTopic) await b.log.send(topic, messages);
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 500));
  const sorted = (b.seen.latencies ?? []).sort((x, y) => x - y);
  b.seen.latencies = null;
  b.say(
    `  => ${
      fmt.format(sorted.length / seconds)
    } events/s committed; event-to-row latency ` +
      `p50 ${fmt.format(percentile(sorted, 0.5))} ms, p99 ${
        fmt.format(percentile(sorted, 0.99))
      } ms, ` +
      `max ${fmt.format(sorted.at(-1) ?? NaN)} ms`,
  );
  return { sorted, peak: rss.stop() };
}

/** The peak RSS, where the memory was then, and where it is now. */
function memoryLine(peak: RssPeak): string {
  const m = Deno.memoryUsage();
  return `Peak RSS ${peakLine(peak)}; now ${
    fmt.format(m.rss / 2 ** 20)
  } MiB: V8 heap ${fmt.format(m.heapTotal / 2 ** 20)} MiB, external ${
    fmt.format(m.external / 2 ** 20)
  } MiB (the rest: PGlite's WebAssembly memory and code, the runtime)`;
}

/** What the phases measured, as `--json` prints it. */
function figuresOf(m: {
  total: number;
  load: number;
  rate: number;
  sorted: number[];
  peak: RssPeak;
  loadBefore: string;
  reference: { start: number; end: number };
}) {
  return {
    events: m.total,
    events_per_s: Math.round(m.rate),
    p50_ms: percentile(m.sorted, 0.5),
    p99_ms: percentile(m.sorted, 0.99),
    latency_load_per_s: m.load,
    peak_rss_mib: Math.round(m.peak.rss),
    load_before: m.loadBefore,
    machine_reference_us_per_event: referenceFigures(m.reference),
  };
}

export async function run(args: string[]): Promise<void> {
  configureLog({ level: "warn" });
  const { flags } = parseArgs(args);
  const code = await rerunAsDeployed(flags, START_V8_FLAGS);
  if (code !== null) {
    if (code !== 0) Deno.exit(code);
    return;
  }
  const json = flags.has("json");
  // As a deployed process does (workers/runtime.ts): this one hosts the processor.
  startMallocTuning();
  const say = (line: string) =>
    (json ? Deno.stderr : Deno.stdout).writeSync(
      new TextEncoder().encode(line + "\n"),
    );
  const loadBefore = await loadAverage();
  const total = Number(flags.get("events") ?? 200_000);
  const load = Number(flags.get("load") ?? 1000);
  const seconds = Number(flags.get("seconds") ?? 20);
  const { b, description, config, teardown } = await setup(say);
  try {
    say(
      `Embedded pipeline benchmark on ${description}, batch ${config.batchSize} / ${config.batchWaitMs} ms, V8 ${
        Deno.env.get("DENO_V8_FLAGS") || "defaults"
      }; load average before: ${loadBefore}`,
    );
    const start = await machineReference();
    say(referenceLine("start", start));
    const throughput = await throughputPhase(
      b,
      total,
      flags.get("cpu-profile"),
    );
    const latency = await latencyPhase(b, load, seconds);
    const peak = throughput.peak.rss >= latency.peak.rss
      ? throughput.peak
      : latency.peak;
    say(memoryLine(peak));
    const end = await machineReference();
    say(referenceLine("end", end));
    if (json) {
      const figures = figuresOf({
        total,
        load,
        rate: throughput.rate,
        sorted: latency.sorted,
        peak,
        loadBefore,
        reference: { start, end },
      });
      Deno.stdout.writeSync(
        new TextEncoder().encode(JSON.stringify(figures) + "\n"),
      );
    }
  } finally {
    await teardown();
  }
}

/** A fresh data folder with its database, log and processor, as `deno task start` has them. */
async function setup(say: (line: string) => void) {
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
  const b: Bench = { say, log, seen: { committed: 0, latencies: null } };
  bus.subscribe((s) => {
    b.seen.committed += s.accepted + s.refused + s.rejected + s.duplicates;
    const kept = b.seen.latencies;
    if (kept) { for (const l of s.latenciesMs) kept.push(l); }
  });
  const processor = await startProcessor({ config, sql: db.sql, log, bus });
  const teardown = async () => {
    await processor.stop();
    await log.close();
    await db.close();
    await Deno.remove(dir, { recursive: true });
  };
  return { b, description: db.description, config, teardown };
}
