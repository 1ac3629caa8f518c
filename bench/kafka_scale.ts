/**
 * Phase 4 of `deno task bench --kafka`: a fresh backlog drained by
 * `--processors N` processes of `main.ts --role processor`, started as
 * compose.yaml starts them (its V8 flags, runtime.lock), sharing the topics'
 * partitions through their consumer groups. What they committed is read from
 * the offsets they store with the rows; each one's RSS from /proc, every
 * 100 ms. It shows what scaling out buys on this machine, and the memory of a
 * real processor process rather than of the bench's own.
 */
import { topicSpecs } from "../lib/stream/topics.ts";
import type { KafkaLog } from "../lib/stream/kafka_log.ts";
import { PROCESSOR_V8_FLAGS } from "../lib/stream/kafka_tuning.ts";
import type { Sql } from "../lib/db/mod.ts";
import { produce } from "./kafka_parts.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const LOCK = new URL("../runtime.lock", import.meta.url).pathname;

/** Where the phase runs and how the processors are set up. */
export interface ScaleSpec {
  brokers: string;
  databaseUrl: string;
  sql: Sql;
  log: KafkaLog;
  backlog: number;
  processors: number;
  /** BATCH_SIZE, BATCH_WAIT_MS and DB_POOL_MAX of each processor. */
  settings: Record<string, string>;
}

/** What the phase measured. */
export interface ScaleFigures {
  eventsPerS: number;
  firstCommitS: number;
  afterFirstPerS: number;
  /** Each process's peak RSS in MiB. */
  peakRssMib: number[];
}

/** A process's resident set in MiB, as /proc says it (0 once it is gone). */
async function rssMib(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`).catch(() => "");
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : 0;
}

/** Starts one `main.ts --role processor` on the topics under `prefix`. */
function startProcessorProcess(
  s: ScaleSpec,
  prefix: string,
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--lock=${LOCK}`,
      "--frozen",
      "--unstable-cron",
      MAIN,
      "--role",
      "processor",
    ],
    env: {
      ...s.settings,
      DATABASE_URL: s.databaseUrl,
      KAFKA_BROKERS: s.brokers,
      TOPIC_PREFIX: prefix,
      METRICS_PORT: "0",
      LOG_LEVEL: "warn",
      DENO_V8_FLAGS: PROCESSOR_V8_FLAGS,
    },
    stdin: "null",
    // Its stats lines would mix with the figures (and break --json); its
    // warnings and errors still show.
    stdout: "null",
    stderr: "inherit",
  }).spawn();
}

/** Events committed on the topics under `prefix`: the sum of the stored next offsets. */
async function committed(sql: Sql, prefix: string): Promise<number> {
  const [row] = await sql<{ n: string }[]>`
    select coalesce(sum(next_offset), 0)::text as n from consumer_offsets
    where left(topic, ${prefix.length}) = ${prefix}`;
  return Number(row!.n);
}

/** Produces the backlog on fresh topics, then drains it with `processors` processes. */
export async function scaleOutDrain(s: ScaleSpec): Promise<ScaleFigures> {
  const prefix = `scale${crypto.randomUUID().slice(0, 6)}.`;
  await s.log.ensureTopics(topicSpecs(prefix));
  await produce({
    brokers: s.brokers,
    prefix,
    mode: "burst",
    total: s.backlog,
    seed: "scale-out",
  });
  const t0 = performance.now();
  const children = Array.from(
    { length: s.processors },
    () => startProcessorProcess(s, prefix),
  );
  const peaks = children.map(() => 0);
  let exited: number | null = null;
  for (const c of children) void c.status.then((st) => exited ??= st.code);
  let first: { at: number; n: number } | null = null;
  try {
    while (true) {
      if (exited !== null) {
        throw new Error(
          `A processor process exited with code ${exited} before the backlog was drained`,
        );
      }
      const rss = await Promise.all(children.map((c) => rssMib(c.pid)));
      rss.forEach((r, i) => peaks[i] = Math.max(peaks[i]!, r));
      const n = await committed(s.sql, prefix);
      if (n > 0 && first === null) first = { at: performance.now(), n };
      if (n >= s.backlog) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    for (const c of children) {
      try {
        c.kill("SIGTERM");
      } catch { /* already gone */ }
    }
    await Promise.all(children.map((c) => c.status));
  }
  const end = performance.now();
  const f = first!;
  return {
    eventsPerS: s.backlog / ((end - t0) / 1000),
    firstCommitS: (f.at - t0) / 1000,
    afterFirstPerS: (s.backlog - f.n) / ((end - f.at) / 1000),
    peakRssMib: peaks.map((p) => Math.round(p)),
  };
}
