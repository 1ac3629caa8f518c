/** The processor role: one consumer worker per stream. */
import type { Sql } from "../lib/db/mod.ts";
import type { ConsumerHandle, EventLog } from "../lib/stream/log.ts";
import type { CommitBus } from "../lib/feed/bus.ts";
import type { Config } from "../lib/config.ts";
import { STREAM_NAMES } from "../lib/stream/topics.ts";
import { loadReference } from "../lib/ingest/reference.ts";
import { startWorker } from "../lib/ingest/worker.ts";

export interface Processor {
  /** Stops fetching, flushes and commits the batches in flight, leaves the groups. */
  stop(): Promise<void>;
}

export async function startProcessor(
  deps: { config: Config; sql: Sql; log: EventLog; bus: CommitBus },
): Promise<Processor> {
  const reference = await loadReference(deps.sql);
  const handles: ConsumerHandle[] = [];
  for (const stream of STREAM_NAMES) {
    handles.push(
      await startWorker({
        log: deps.log,
        sql: deps.sql,
        stream,
        reference,
        bus: deps.bus,
        topicPrefix: deps.config.topicPrefix,
        batchSize: deps.config.batchSize,
        batchWaitMs: deps.config.batchWaitMs,
        timeLimits: {
          maxFutureMs: deps.config.eventMaxFutureMs,
          minTimestampMs: Date.parse(deps.config.eventMinTimestamp),
        },
      }),
    );
  }
  return {
    stop: async () => void await Promise.all(handles.map((h) => h.stop())),
  };
}
