/**
 * The Kafka benchmark's producer, run as a process of its own (a generator
 * process on the same machine), so the processor's memory and CPU profile are
 * the processor's alone. `deno run -A bench/kafka_producer.ts '<spec>'`, the
 * spec as JSON: `{ mode: "burst", total }` produces `total` events as fast as
 * the broker takes them; `{ mode: "rate", load, seconds }` offers `load`
 * events/s. It prints `{"produced": n}` lines and a last one with `"done"`.
 */
import { KafkaLog } from "../lib/stream/kafka_log.ts";
import { type StreamName, STREAMS } from "../lib/stream/topics.ts";
import type { Message } from "../lib/stream/log.ts";
import { ShopSimulator } from "../lib/generators/mod.ts";
import { configureLog, say } from "../lib/log.ts";
import { pick } from "./mix.ts";

/** What the benchmark asks the producer for. */
export interface ProducerSpec {
  brokers: string;
  prefix: string;
  mode: "burst" | "rate";
  total?: number;
  load?: number;
  seconds?: number;
  /** Seed of the simulated shop (each phase its own, so event ids never repeat). */
  seed: string;
}

/** One chunk of `n` events stamped `now`, grouped by topic, keyed by product_id. */
function chunk(sim: ShopSimulator, n: number, start: number, now: number) {
  const out = new Map<StreamName, Message[]>();
  for (let i = 0; i < n; i++) {
    const stream = pick(start + i);
    const e = sim.make(stream, now) as {
      product_id?: string | null;
      user_id?: string;
    };
    let list = out.get(stream);
    if (!list) out.set(stream, list = []);
    list.push({
      key: e.product_id ?? e.user_id ?? null,
      value: JSON.stringify(e),
    });
  }
  return out;
}

async function sendAll(
  log: KafkaLog,
  prefix: string,
  byStream: Map<StreamName, Message[]>,
) {
  await log.sendMany(
    [...byStream].map(([s, messages]) => ({
      topic: prefix + STREAMS[s].topic,
      messages,
    })),
  );
}

const report = (produced: number, done = false) =>
  say(JSON.stringify(done ? { produced, done } : { produced }));

/** Produces what `o` asks for; returns how many events it sent. */
async function produce(log: KafkaLog, o: ProducerSpec): Promise<number> {
  const sim = new ShopSimulator({ seed: o.seed });
  let produced = 0;
  if (o.mode === "burst") {
    // The next chunk is made while the broker acknowledges the last one.
    let sending: Promise<void> = Promise.resolve();
    while (produced < o.total!) {
      // 5,000 rather than 10,000: kafkajs groups a send's messages by
      // partition by copying the list per message (quadratic), which cost
      // ~12 % of this process's CPU at 10,000 (6.1 against 5.4 s of CPU for
      // 300k events).
      const n = Math.min(5_000, o.total! - produced);
      const next = chunk(sim, n, produced, Date.now());
      await sending;
      report(produced);
      sending = sendAll(log, o.prefix, next);
      produced += n;
    }
    await sending;
    report(produced);
    return produced;
  }
  const t0 = Date.now();
  const end = t0 + o.seconds! * 1000;
  while (Date.now() < end) {
    // Whatever is due by now at `load` events/s, stamped now.
    const due = Math.floor(((Date.now() - t0) / 1000) * o.load!) - produced;
    if (due > 0) {
      await sendAll(log, o.prefix, chunk(sim, due, produced, Date.now()));
      produced += due;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return produced;
}

if (import.meta.main) {
  configureLog({ level: "warn" });
  const spec = JSON.parse(Deno.args[0]!) as ProducerSpec;
  const log = await KafkaLog.open({
    brokers: [spec.brokers],
    clientId: "bench-producer",
  });
  const produced = await produce(log, spec);
  await log.close();
  report(produced, true);
}
