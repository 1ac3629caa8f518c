/**
 * The pipeline's conditions, per raw topic: too many events waiting, and a
 * consumer that stopped. Both read the offsets the database holds
 * (consumer_offsets and log_end_offsets, lib/pipeline/offsets.ts), so the
 * jobs role sees the processors wherever they run; a consumer of this very
 * process also reports its state (down, restarting, refusing a partition)
 * through the worker registry.
 */
import { partitionOffsets } from "../pipeline/offsets.ts";
import type { PartitionOffsets } from "../pipeline/types.ts";
import type { WorkerRegistry } from "../health/registry.ts";
import type { Condition, Reader } from "./types.ts";

const int = (n: number) => n.toLocaleString("en-US");

function byTopic(parts: readonly PartitionOffsets[]) {
  const out = new Map<string, PartitionOffsets[]>();
  for (const p of parts) out.set(p.topic, [...out.get(p.topic) ?? [], p]);
  return out;
}

const waiting = (parts: readonly PartitionOffsets[]) =>
  parts.reduce((n, p) => n + Math.max(p.lag ?? 0, 0), 0);

/** Topics with more events waiting for their consumers than the threshold. */
export const consumerLag: Reader = async (sql, lag, { config }) => {
  const out: Condition[] = [];
  for (
    const [topic, parts] of byTopic(
      await partitionOffsets(sql, config.topicPrefix),
    )
  ) {
    const n = waiting(parts);
    if (n <= lag) continue;
    out.push({
      key: `consumer_lag:${topic}`,
      subject: topic,
      message: `${
        int(n)
      } events wait for the consumers of ${topic} (alert above ${int(lag)})`,
      value: n,
    });
  }
  return out;
};

/** Why this process's consumer of `topic` is not reading, if it is not. */
function registryProblem(
  workers: WorkerRegistry | undefined,
  topic: string,
): string | null {
  const w = workers?.list().find((x) => x.name === `consumer ${topic}`);
  if (!w) return null;
  if (w.state === "down" || w.state === "restarting") {
    return `is ${w.state}${w.error ? `: ${w.error}` : ""}`;
  }
  const [partition, reason] = Object.entries(w.refused)[0] ?? [];
  return partition === undefined
    ? null
    : `refuses partition ${partition}: ${reason}`;
}

/** Topics whose consumer is down, refuses a partition, or has not committed for the threshold while events wait. */
export const consumerStopped: Reader = async (sql, minutes, ctx) => {
  const now = Date.now();
  const out: Condition[] = [];
  const parts = byTopic(await partitionOffsets(sql, ctx.config.topicPrefix));
  for (const [topic, list] of parts) {
    const behind = list.filter((p) => (p.lag ?? 0) > 0 && p.committedAt);
    // The oldest last commit among partitions that have events waiting.
    const last = Math.min(...behind.map((p) => p.committedAt!.getTime()));
    const idle = behind.length > 0 ? (now - last) / 60_000 : 0;
    const problem = registryProblem(ctx.workers, topic) ??
      (idle >= minutes
        ? `has committed nothing for ${Math.floor(idle)} min while ${
          int(waiting(list))
        } events wait (alert after ${minutes} min)`
        : null);
    if (!problem) continue;
    out.push({
      key: `consumer_stopped:${topic}`,
      subject: topic,
      message: `The consumer of ${topic} ${problem}`,
      value: behind.length > 0 ? Math.floor(idle) : null,
    });
  }
  return out;
};
