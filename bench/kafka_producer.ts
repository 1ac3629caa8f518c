/**
 * The Kafka benchmark's producer, run as a Web Worker so its JSON encoding
 * and kafkajs sends have their own event loop, as a separate generator
 * process would. Messages: `{ mode: "burst", total }` produces `total`
 * events as fast as the broker takes them; `{ mode: "rate", load, seconds }`
 * offers `load` events/s. It posts `{ produced }` progress and `{ done }`.
 */
/// <reference lib="deno.worker" />
import { KafkaLog } from "../lib/stream/kafka_log.ts";
import { type StreamName, STREAMS } from "../lib/stream/topics.ts";
import type { Message } from "../lib/stream/log.ts";
import { ShopSimulator } from "../lib/generators/mod.ts";
import { configureLog } from "../lib/log.ts";

interface Start {
  brokers: string;
  prefix: string;
  mode: "burst" | "rate";
  total?: number;
  load?: number;
  seconds?: number;
}

configureLog({ level: "warn" });
const MIX: [StreamName, number][] = [["clickstream", 82], ["inventory", 16], [
  "competitor",
  2,
]];

function pick(i: number): StreamName {
  const r = i % 100;
  return r < MIX[0]![1]
    ? "clickstream"
    : r < MIX[0]![1] + MIX[1]![1]
    ? "inventory"
    : "competitor";
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

self.onmessage = async (e: MessageEvent<Start>) => {
  const o = e.data;
  const log = await KafkaLog.open({
    brokers: [o.brokers],
    clientId: "bench-producer",
  });
  const sim = new ShopSimulator({ seed: `bench-${o.mode}` });
  let produced = 0;
  if (o.mode === "burst") {
    const total = o.total!;
    while (produced < total) {
      const n = Math.min(20_000, total - produced);
      await sendAll(log, o.prefix, chunk(sim, n, produced, Date.now()));
      produced += n;
      self.postMessage({ produced });
    }
  } else {
    const load = o.load!;
    const t0 = Date.now();
    const end = t0 + o.seconds! * 1000;
    while (Date.now() < end) {
      // Whatever is due by now at `load` events/s, stamped now.
      const due = Math.floor(((Date.now() - t0) / 1000) * load) - produced;
      if (due > 0) {
        await sendAll(log, o.prefix, chunk(sim, due, produced, Date.now()));
        produced += due;
      }
      self.postMessage({ produced });
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  await log.close();
  self.postMessage({ produced, done: true });
};
