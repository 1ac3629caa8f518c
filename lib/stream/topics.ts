/** The three event streams, their partition counts and their dead-letter topics. */
import type { TopicSpec } from "./log.ts";

export const STREAMS = {
  clickstream: { topic: "raw.clickstream", partitions: 6 },
  inventory: { topic: "raw.inventory_updates", partitions: 3 },
  competitor: { topic: "raw.competitor_prices", partitions: 3 },
} as const;

export type StreamName = keyof typeof STREAMS;
export const STREAM_NAMES = Object.keys(STREAMS) as StreamName[];

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** The dead-letter topic of a raw topic: `raw.x` → `dlq.raw.x`. */
export function dlqTopic(topic: string): string {
  return `dlq.${topic}`;
}

/** Every topic the platform needs, with `prefix` applied. */
export function topicSpecs(prefix = ""): TopicSpec[] {
  return STREAM_NAMES.flatMap((s) => {
    const { topic, partitions } = STREAMS[s];
    return [
      { name: prefix + topic, partitions, retentionMs: WEEK_MS },
      { name: prefix + dlqTopic(topic), partitions: 1, retentionMs: WEEK_MS },
    ];
  });
}
