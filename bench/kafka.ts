/**
 * `deno task bench --kafka [--events N] [--backlog N] [--json]`: the pipeline
 * on Apache Kafka and PostgreSQL, the producer a process of its own.
 * 0. backlog: `--backlog` events (default 1,000,000) produced with no
 *    processor running, then drained by the processor alone (group join
 *    included);
 * 1. throughput: `--events` (default 1,000,000) mixed events produced as fast
 *    as possible while the processor commits them: events/s from the first
 *    produce to the last committed row;
 * 2. latency: a fixed offered load (`--load`, default 5,000 events/s) for
 *    `--seconds` (default 30): p50/p99 from each event's timestamp to the
 *    commit of its row;
 * 3. the COPY ceiling on the same database (kafka_ceiling.ts);
 * 4. scale-out: a fresh `--backlog` drained by `--processors` (default 2;
 *    0 skips it) processes of `main.ts --role processor` (kafka_scale.ts);
 * and the processor's peak RSS over phases 0–2, sampled every 100 ms. Each
 * phase prints the load average before it. `--json` prints one JSON object on
 * stdout at the end (the human lines go to stderr). Uses KAFKA_BROKERS and
 * DATABASE_URL when set, else a local broker and a fresh database on
 * 127.0.0.1:5432. Tuning flags: --batch-size, --batch-wait-ms, --concurrency,
 * --pool. `--heap-profile FILE` writes a sampling heap profile of what the
 * drain promoted out of V8's young generation, `--cpu-profile FILE` a CPU
 * profile of the drain (profiling.ts). The
 * processor runs under the V8 flags compose.yaml deploys it with
 * (PROCESSOR_V8_FLAGS; `--v8-default` for Deno's own, or set DENO_V8_FLAGS).
 */
import v8 from "node:v8";
import { loadConfig, parseArgs } from "../lib/config.ts";
import { connect, openDatabase } from "../lib/db/mod.ts";
import { KafkaLog } from "../lib/stream/kafka_log.ts";
import { PROCESSOR_V8_FLAGS } from "../lib/stream/kafka_tuning.ts";
import { type LocalKafka, startLocalKafka } from "../dev/kafka.ts";
import { scratchDatabase } from "../dev/db.ts";
import { topicSpecs } from "../lib/stream/topics.ts";
import { CommitBus } from "../lib/feed/bus.ts";
import { startProcessor } from "../workers/consumers.ts";
import { configureLog } from "../lib/log.ts";
import { percentile, rerunAsDeployed } from "./stats.ts";
import { startMallocTuning } from "../lib/memory.ts";
import { copyCeiling } from "./kafka_ceiling.ts";
import {
  machineReference,
  referenceFigures,
  referenceLine,
} from "./reference.ts";
import {
  type Profiler,
  startCpuProfile,
  startHeapSampling,
} from "./profiling.ts";
import { type ScaleFigures, scaleOutDrain } from "./kafka_scale.ts";
import { cpuLine, cpuMeter, type CpuSplit, per100k } from "./cpu.ts";
import {
  loadAverage,
  peakLine,
  peakRss,
  produce,
  type RssPeak,
  waitFor,
} from "./kafka_parts.ts";

const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** DATABASE_URL when set (kept), else a scratch database on TEST_DATABASE_URL's server (dropped). */
function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const fromEnv = Deno.env.get("DATABASE_URL");
  if (fromEnv) return Promise.resolve({ url: fromEnv, drop: async () => {} });
  return scratchDatabase("bench_kafka");
}

/** Everything the run measured; `--json` prints it as it is. */
interface Figures {
  events: number;
  events_per_s: number;
  produce_alone_per_s: number;
  drain_events: number;
  drain_events_per_s: number;
  drain_after_first_commit_per_s: number;
  copy_ceiling_rows_per_s: number;
  fraction_of_ceiling: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  latency_load_per_s: number;
  peak_rss_mib: number;
  /** CPU seconds per 100k events of each component, draining and sustained. */
  cpu_s_per_100k: { drain: CpuSplit | null; sustained: CpuSplit | null };
  scale_out_processors: number;
  scale_out_drain_events_per_s: number | null;
  /** The largest peak RSS of the scale-out phase's `main.ts --role processor` processes. */
  processor_process_peak_rss_mib: number | null;
  load_before: Record<string, string>;
  /** The machine reference (reference.ts) before the first phase and after the last. */
  machine_reference_us_per_event: { start: number; end: number };
}

/** What every phase shares: output, the database, the log, and what the processor committed. */
interface Bench {
  say(line: string): void;
  config: ReturnType<typeof loadConfig>;
  db: Awaited<ReturnType<typeof openDatabase>>;
  log: KafkaLog;
  bus: CommitBus;
  spec: { brokers: string; prefix: string };
  /**
   * Events the processor has committed (accepted, refused, rejected or
   * duplicate), and their latencies while the latency phase runs (else null).
   */
  seen: { committed: number; latencies: number[] | null };
  loads: Record<string, string>;
}

/** Prints a phase's heading with the load average before it. */
async function phase(b: Bench, name: string): Promise<void> {
  b.loads[name] = await loadAverage();
  b.say(`${name} (load average before: ${b.loads[name]})`);
}

/** 0. The producer alone, then the processor alone on that backlog (started here, returned running). */
async function drainPhase(
  b: Bench,
  backlog: number,
  profiles: { heap?: string; cpu?: string },
) {
  await phase(b, `0. backlog of ${fmt.format(backlog)} events`);
  let t = performance.now();
  await produce({ ...b.spec, mode: "burst", total: backlog, seed: "backlog" });
  const produceAlone = backlog / ((performance.now() - t) / 1000);
  t = performance.now();
  const cpu = await cpuMeter();
  const profilers: [string, Profiler][] = [];
  if (profiles.heap) {
    profilers.push([
      `heap samples of what outlived the young generation: ${profiles.heap}`,
      await startHeapSampling(profiles.heap),
    ]);
  }
  if (profiles.cpu) {
    profilers.push([
      `CPU profile of the drain: ${profiles.cpu}`,
      await startCpuProfile(profiles.cpu),
    ]);
  }
  const processor = await startProcessor({
    config: b.config,
    sql: b.db.sql,
    log: b.log,
    bus: b.bus,
  });
  await waitFor(() => b.seen.committed > 0);
  const joinS = (performance.now() - t) / 1000;
  const tFirst = performance.now(), cFirst = b.seen.committed;
  await waitFor(() => b.seen.committed >= backlog);
  const afterJoin = (backlog - cFirst) / ((performance.now() - tFirst) / 1000);
  const drainAlone = backlog / ((performance.now() - t) / 1000);
  const drainCpu = await cpu.stop();
  for (const [what, profiler] of profilers) {
    await profiler.stop();
    b.say(`  ${what}`);
  }
  b.say(
    `  producer alone ${
      fmt.format(produceAlone)
    } events/s; processor alone drains ${fmt.format(drainAlone)} events/s ` +
      `(first commit after ${joinS.toFixed(1)} s, ${
        fmt.format(afterJoin)
      } events/s from there)`,
  );
  b.say(`  draining: ${cpuLine(drainCpu, backlog)}`);
  b.seen.committed -= backlog;
  return { processor, produceAlone, drainAlone, afterJoin, drainCpu };
}

/** 1. Events produced as fast as possible while the processor commits them: events/s. */
async function throughputPhase(
  b: Bench,
  total: number,
): Promise<{ rate: number; cpu: CpuSplit | null }> {
  await phase(b, `1. throughput over ${fmt.format(total)} events`);
  const meter = await cpuMeter();
  const t0 = performance.now();
  await produce({ ...b.spec, mode: "burst", total, seed: "burst" });
  const produceS = (performance.now() - t0) / 1000;
  await waitFor(() => b.seen.committed >= total);
  const totalS = (performance.now() - t0) / 1000;
  const cpu = await meter.stop();
  b.say(
    `  produced in ${produceS.toFixed(1)} s, all committed in ${
      totalS.toFixed(1)
    } s => ${fmt.format(total / totalS)} events/s sustained`,
  );
  b.say(`  ${cpuLine(cpu, total)}`);
  return { rate: total / totalS, cpu };
}

/** 2. A fixed offered load: event-to-row latencies, sorted. */
async function latencyPhase(
  b: Bench,
  load: number,
  seconds: number,
): Promise<number[]> {
  await phase(b, `2. latency at ${fmt.format(load)} events/s for ${seconds} s`);
  b.seen.latencies = [];
  const before = b.seen.committed;
  const offered = await produce({
    ...b.spec,
    mode: "rate",
    load,
    seconds,
    seed: "rate",
  });
  await waitFor(() => b.seen.committed - before >= offered);
  const sorted = (b.seen.latencies ?? []).sort((x, y) => x - y);
  b.seen.latencies = null;
  const p = (q: number) => percentile(sorted, q);
  b.say(
    `  ${
      fmt.format(offered / seconds)
    } events/s offered and committed; event-to-row latency p50 ${
      fmt.format(p(0.5))
    } ms, p99 ${fmt.format(p(0.99))} ms, max ${
      fmt.format(sorted.at(-1) ?? NaN)
    } ms`,
  );
  return sorted;
}

/** 3. Plain COPY of the rows the run wrote, on a connection of its own (the processor's pool is stopped). */
async function ceilingPhase(
  b: Bench,
  url: string,
  kafkaDir: string,
  rate: number,
) {
  await phase(b, "3. COPY ceiling");
  const copySql = connect({ url, max: 1 });
  const ceiling = await copyCeiling(copySql, kafkaDir);
  await copySql.end({ timeout: 5 });
  b.say(
    `  plain COPY of the same ${fmt.format(ceiling.rows)} rows: ${
      fmt.format(ceiling.rowsPerS)
    } rows/s; the pipeline sustained ${
      (rate / ceiling.rowsPerS).toFixed(2)
    } of it`,
  );
  return ceiling;
}

/** 4. A fresh backlog drained by `processors` processes of `main.ts --role processor`. */
async function scalePhase(
  b: Bench,
  o: {
    url: string;
    settings: Record<string, string>;
    backlog: number;
    processors: number;
  },
): Promise<ScaleFigures> {
  await phase(
    b,
    `4. a backlog of ${
      fmt.format(o.backlog)
    } events drained by ${o.processors} processor process${
      o.processors === 1 ? "" : "es"
    }`,
  );
  const f = await scaleOutDrain({
    brokers: b.spec.brokers,
    databaseUrl: o.url,
    sql: b.db.sql,
    log: b.log,
    backlog: o.backlog,
    processors: o.processors,
    settings: o.settings,
  });
  b.say(
    `  ${fmt.format(f.eventsPerS)} events/s (first commit after ${
      f.firstCommitS.toFixed(1)
    } s, ${fmt.format(f.afterFirstPerS)} events/s from there); ` +
      `peak RSS of each process: ${f.peakRssMib.join(", ")} MiB`,
  );
  return f;
}

/** KAFKA_BROKERS, else a local broker in a temporary folder (kept for the ceiling phase). */
async function brokerFor(): Promise<
  { brokers: string; broker: LocalKafka | null; kafkaDir: string }
> {
  const kafkaDir = await Deno.makeTempDir({ prefix: "bench_kafka_" });
  const fromEnv = Deno.env.get("KAFKA_BROKERS");
  if (fromEnv) return { brokers: fromEnv, broker: null, kafkaDir };
  const broker = await startLocalKafka({ dataDir: kafkaDir });
  return { brokers: broker.brokers, broker, kafkaDir };
}

/** The run's heading: where it runs, V8's heap limit, and the tuning. */
function announce(b: Bench, concurrency: number): void {
  b.say(`Kafka benchmark: broker ${b.spec.brokers}, ${b.db.description}`);
  b.say(
    `  V8: ${Deno.env.get("DENO_V8_FLAGS") ?? "Deno's defaults"} (heap limit ${
      Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20)
    } MiB)`,
  );
  b.say(
    `  batch ${b.config.batchSize} / ${b.config.batchWaitMs} ms, ${concurrency} partitions per topic at once, pool ${b.config.dbPoolMax}`,
  );
}

/** The broker, the database, the log and its topics. */
async function setup(flags: Map<string, string>, json: boolean) {
  const say = (line: string) =>
    (json ? Deno.stderr : Deno.stdout).writeSync(
      new TextEncoder().encode(line + "\n"),
    );
  const { brokers, broker, kafkaDir } = await brokerFor();
  const database = await freshDatabase();
  const prefix = `bench${crypto.randomUUID().slice(0, 6)}.`;
  const settings = {
    BATCH_SIZE: flags.get("batch-size") ?? "2000",
    BATCH_WAIT_MS: flags.get("batch-wait-ms") ?? "20",
    DB_POOL_MAX: flags.get("pool") ?? "10",
  };
  const config = loadConfig({
    ...settings,
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers,
    TOPIC_PREFIX: prefix,
  });
  const db = await openDatabase(config);
  const concurrency = Number(flags.get("concurrency") ?? 6);
  const log = await KafkaLog.open({
    brokers: [brokers],
    clientId: "bench",
    tuning: { concurrency },
  });
  await log.ensureTopics(topicSpecs(prefix));
  const bus = new CommitBus();
  const b: Bench = {
    say,
    config,
    db,
    log,
    bus,
    spec: { brokers, prefix },
    seen: { committed: 0, latencies: null },
    loads: {},
  };
  bus.subscribe((s) => {
    b.seen.committed += s.accepted + s.refused + s.rejected + s.duplicates;
    const kept = b.seen.latencies;
    if (kept) { for (const l of s.latenciesMs) kept.push(l); }
  });
  announce(b, concurrency);
  const teardown = async () => {
    await log.close();
    await db.close();
    await database.drop();
    await broker?.stop();
    await Deno.remove(kafkaDir, { recursive: true }).catch(() => {});
  };
  return { b, url: database.url, kafkaDir, settings, teardown };
}

/** What the phases measured, as `--json` prints it. */
function figuresOf(m: {
  total: number;
  backlog: number;
  load: number;
  processors: number;
  drain: Awaited<ReturnType<typeof drainPhase>>;
  sustained: Awaited<ReturnType<typeof throughputPhase>>;
  sorted: number[];
  peak: RssPeak;
  ceiling: { rowsPerS: number };
  scale: ScaleFigures | null;
  loads: Record<string, string>;
  reference: { start: number; end: number };
}): Figures {
  const { drain, sustained: { rate }, sorted, ceiling, scale } = m;
  const p = (q: number) => percentile(sorted, q);
  return {
    events: m.total,
    events_per_s: Math.round(rate),
    produce_alone_per_s: Math.round(drain.produceAlone),
    drain_events: m.backlog,
    drain_events_per_s: Math.round(drain.drainAlone),
    drain_after_first_commit_per_s: Math.round(drain.afterJoin),
    copy_ceiling_rows_per_s: Math.round(ceiling.rowsPerS),
    fraction_of_ceiling: Number((rate / ceiling.rowsPerS).toFixed(3)),
    p50_ms: p(0.5),
    p99_ms: p(0.99),
    max_ms: sorted.at(-1) ?? NaN,
    latency_load_per_s: m.load,
    peak_rss_mib: Math.round(m.peak.rss),
    cpu_s_per_100k: {
      drain: per100k(drain.drainCpu, m.backlog),
      sustained: per100k(m.sustained.cpu, m.total),
    },
    scale_out_processors: m.processors,
    scale_out_drain_events_per_s: scale ? Math.round(scale.eventsPerS) : null,
    processor_process_peak_rss_mib: scale
      ? Math.max(...scale.peakRssMib)
      : null,
    load_before: m.loads,
    machine_reference_us_per_event: referenceFigures(m.reference),
  };
}

export async function run(args: string[]): Promise<void> {
  configureLog({ level: "warn" });
  const { flags } = parseArgs(args);
  const code = await rerunAsDeployed(flags, PROCESSOR_V8_FLAGS);
  if (code !== null) {
    if (code !== 0) Deno.exit(code);
    return;
  }
  const json = flags.has("json");
  // As a deployed process does (workers/runtime.ts): this one hosts the processor.
  startMallocTuning();
  const total = Number(flags.get("events") ?? 1_000_000);
  const backlog = Number(flags.get("backlog") ?? 1_000_000);
  const load = Number(flags.get("load") ?? 5000);
  const seconds = Number(flags.get("seconds") ?? 30);
  const processors = Number(flags.get("processors") ?? 2);
  const { b, url, kafkaDir, settings, teardown } = await setup(flags, json);
  try {
    const start = await machineReference();
    b.say(referenceLine("start", start));
    const rss = peakRss(100);
    const drain = await drainPhase(b, backlog, {
      heap: flags.get("heap-profile"),
      cpu: flags.get("cpu-profile"),
    });
    const sustained = await throughputPhase(b, total);
    const sorted = await latencyPhase(b, load, seconds);
    const peak = rss.stop();
    b.say(`  peak RSS of the processor process: ${peakLine(peak)}`);
    await drain.processor.stop();
    const ceiling = await ceilingPhase(b, url, kafkaDir, sustained.rate);
    const scale = processors > 0
      ? await scalePhase(b, { url, settings, backlog, processors })
      : null;
    const end = await machineReference();
    b.say(referenceLine("end", end));
    const figures = figuresOf({
      total,
      backlog,
      load,
      processors,
      drain,
      sustained,
      sorted,
      peak,
      ceiling,
      scale,
      loads: b.loads,
      reference: { start, end },
    });
    if (json) {
      Deno.stdout.writeSync(
        new TextEncoder().encode(JSON.stringify(figures) + "\n"),
      );
    }
  } finally {
    await teardown();
  }
}
