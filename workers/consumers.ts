/** The processor role: one supervised consumer worker per stream. */
import type { Sql } from "../lib/db/mod.ts";
import type { EventLog } from "../lib/stream/log.ts";
import type { CommitBus } from "../lib/feed/bus.ts";
import type { Config } from "../lib/config.ts";
import { STREAM_NAMES, STREAMS } from "../lib/stream/topics.ts";
import { CatalogCache } from "../lib/ingest/reference.ts";
import { startWorker } from "../lib/ingest/worker.ts";
import { startReplays } from "../lib/ingest/replay.ts";
import { WorkerRegistry } from "../lib/health/registry.ts";
import {
  type RestartPolicy,
  supervise,
  type Supervised,
} from "../lib/health/supervisor.ts";

export interface Processor {
  /** Stops fetching, flushes and commits the batches in flight, leaves the groups. */
  stop(): Promise<void>;
}

export interface ProcessorDeps {
  config: Config;
  sql: Sql;
  log: EventLog;
  bus: CommitBus;
  /** Where the workers report their state (default: a registry of their own). */
  workers?: WorkerRegistry;
  /** Called when a consumer keeps dying (default: throw it away, the registry shows it). */
  onFatal?: (err: Error) => void;
  restart?: RestartPolicy;
}

/** The registry name of a stream's consumer, e.g. `consumer raw.clickstream`. */
export function consumerName(topic: string): string {
  return `consumer ${topic}`;
}

export async function startProcessor(deps: ProcessorDeps): Promise<Processor> {
  // One catalog for the process; each worker trusts its own checks of it.
  const catalog = await CatalogCache.load(deps.sql);
  const registry = deps.workers ?? new WorkerRegistry();
  const supervised: Supervised[] = [];
  const { config } = deps;
  try {
    for (const stream of STREAM_NAMES) {
      const name = consumerName(STREAMS[stream].topic);
      const start = () =>
        startWorker({
          log: deps.log,
          sql: deps.sql,
          stream,
          reference: catalog.reference(),
          bus: deps.bus,
          topicPrefix: config.topicPrefix,
          batchSize: config.batchSize,
          batchWaitMs: config.batchWaitMs,
          timeLimits: {
            maxFutureMs: config.eventMaxFutureMs,
            minTimestampMs: Date.parse(config.eventMinTimestamp),
          },
          onRefuse: (p, reason) => registry.refuse(name, p, reason),
        });
      supervised.push(
        await supervise(
          name,
          start,
          registry,
          deps.onFatal ?? (() => {}),
          deps.restart,
        ),
      );
    }
  } catch (err) {
    await Promise.allSettled(supervised.map((s) => s.stop()));
    throw err;
  }
  // Rejections an operator asked to replay go back through the log we hold.
  const stopReplays = startReplays(deps.sql, deps.log, config.topicPrefix);
  return {
    stop: async () => {
      await stopReplays();
      await Promise.all(supervised.map((s) => s.stop()));
    },
  };
}
