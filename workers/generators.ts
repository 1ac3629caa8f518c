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

/** What the generators role is started with. */
export interface GeneratorOptions {
  log: EventLog;
  topicPrefix: string;
  rate: number;
  seed: string;
  users: number;
  customers?: number;
  limit?: number;
  /** Our prices; default list prices. */
  prices?: PriceBook;
  /** The shop's starting stock; default the seed stock. */
  stock?: ShopOptions["stock"];
  /** Open the shop with deliveries up to its steady stock (a shop that never moved stock). */
  openingStock?: boolean;
}

/** Starts producing the simulated shop's events at `rate`. */
export function startGenerators(opts: GeneratorOptions): GeneratorHandle {
  const sim = new ShopSimulator({
    seed: opts.seed,
    users: opts.users,
    customers: opts.customers,
    rate: opts.rate,
    prices: opts.prices,
    stock: opts.stock,
    openingStock: opts.openingStock,
  });
  const produced: Record<StreamName, number> = {
    clickstream: 0,
    inventory: 0,
    competitor: 0,
  };
  const state = { stopped: false, total: 0, limit: opts.limit ?? Infinity };
  log.info("generators started", {
    rate: opts.rate,
    seed: opts.seed || "random",
    users: opts.users,
    customers: opts.customers ?? opts.users,
    // A shop that never moved stock is first stocked up to its steady level.
    ...(opts.openingStock ? { opening_units: sim.stats.received } : {}),
  });
  const tick = async () => {
    const due = sim.due(Date.now(), state.limit - state.total);
    for (const [stream, messages] of messagesByStream(due)) {
      await opts.log.send(opts.topicPrefix + STREAMS[stream].topic, messages);
      produced[stream] += messages.length;
      state.total += messages.length;
    }
  };
  const done = everyTick(
    tick,
    () => state.stopped || state.total >= state.limit,
  );
  return {
    produced,
    done,
    async stop() {
      state.stopped = true;
      await done;
    },
  };
}

/** Runs `tick` every TICK_MS until `over()`; a failing tick is logged and retried after a second. */
async function everyTick(
  tick: () => Promise<void>,
  over: () => boolean,
): Promise<void> {
  while (!over()) {
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
}
