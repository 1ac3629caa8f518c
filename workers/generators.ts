/**
 * The generators role: every 50 ms, the simulator's due events are produced to
 * their topics, keyed by product_id (page views by user, which has no product).
 */
import type { EventLog, Message } from "../lib/stream/log.ts";
import { type StreamName, STREAMS } from "../lib/stream/topics.ts";
import {
  type Emitted,
  type PriceBook,
  type ShopOptions,
  ShopSimulator,
} from "../lib/generators/mod.ts";
import { logger } from "../lib/log.ts";

const log = logger("generators");
const TICK_MS = 50;

export interface GeneratorHandle {
  /** Events produced so far, per stream. */
  readonly produced: Record<StreamName, number>;
  stop(): Promise<void>;
  /** Settles when stopped or when `limit` events were produced. */
  readonly done: Promise<void>;
}

/** The events as messages per stream, keyed by product (page views by user). */
function messagesByStream(
  events: readonly Emitted[],
): Map<StreamName, Message[]> {
  const byStream = new Map<StreamName, Message[]>();
  for (const e of events) {
    const key = "product_id" in e.event && e.event.product_id
      ? e.event.product_id
      : null;
    const list = byStream.get(e.stream) ?? [];
    list.push({
      key: key ?? ("user_id" in e.event ? e.event.user_id : null),
      value: JSON.stringify(e.event),
    });
    byStream.set(e.stream, list);
  }
  return byStream;
}

/** Starts producing the simulated shop's events at `rate`. */
export function startGenerators(
  opts: {
    log: EventLog;
    topicPrefix: string;
    rate: number;
    seed: string;
    users: number;
    limit?: number;
    /** Our prices; default list prices. */
    prices?: PriceBook;
    /** The shop's starting stock; default the seed stock. */
    stock?: ShopOptions["stock"];
  },
): GeneratorHandle {
  const sim = new ShopSimulator({
    seed: opts.seed,
    users: opts.users,
    rate: opts.rate,
    prices: opts.prices,
    stock: opts.stock,
  });
  const produced: Record<StreamName, number> = {
    clickstream: 0,
    inventory: 0,
    competitor: 0,
  };
  const limit = opts.limit ?? Infinity;
  let stopped = false;
  let total = 0;
  log.info("generators started", {
    rate: opts.rate,
    seed: opts.seed || "random",
    users: opts.users,
  });

  async function tick(): Promise<void> {
    const byStream = messagesByStream(sim.due(Date.now(), limit - total));
    for (const [stream, messages] of byStream) {
      await opts.log.send(opts.topicPrefix + STREAMS[stream].topic, messages);
      produced[stream] += messages.length;
      total += messages.length;
    }
  }

  const done = (async () => {
    while (!stopped && total < limit) {
      const t0 = Date.now();
      try {
        await tick();
      } catch (err) {
        log.error("cannot produce events; retrying", { error: err });
        await new Promise((r) => setTimeout(r, 1000));
      }
      await new Promise((r) =>
        setTimeout(r, Math.max(0, TICK_MS - (Date.now() - t0)))
      );
    }
  })();

  return {
    produced,
    done,
    async stop() {
      stopped = true;
      await done;
    },
  };
}
