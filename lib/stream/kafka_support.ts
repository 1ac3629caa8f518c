/** Small helpers of the Kafka adapter: kafkajs log routing, error text, sizes. */
// Before kafkajs: it replaces modules kafkajs takes when it loads.
import "./kafka_preload.ts";
import kafkajs from "kafkajs";
import type { KafkaMessage, LogEntry } from "kafkajs";
import type { LogRecord } from "./log.ts";
import { logger } from "../log.ts";

const { logLevel } = kafkajs;
const log = logger("kafka");

/**
 * kafkajs logs routed to the project logger. Its per-request errors are
 * retried by kafkajs and surface through our own errors if they persist, so
 * they (and its INFO chatter) go to debug; the rest becomes warn.
 */
export function logCreator() {
  return ({ level, log: entry }: LogEntry) => {
    const { message, stack: _stack, timestamp: _t, logger: _l, ...fields } =
      entry as Record<string, unknown> & { message: string };
    const noise = message.startsWith("Response ") ||
      message.startsWith("Limiting retries for the idempotent producer");
    if (level <= logLevel.WARN && !noise) log.warn(message, fields);
    else log.debug(message, fields);
  };
}

const enc = new TextEncoder();

/** Size of a message value in bytes (UTF-8 for strings; exact only above `limit` / 3). */
export function byteSize(v: Uint8Array | string, limit: number): number {
  if (typeof v !== "string") return v.byteLength;
  return v.length * 3 <= limit ? v.length : enc.encode(v).length;
}

/** An error's message with its cause, for one-sentence errors. */
export function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  const msg = e.message ?? String(err);
  const cause = e.cause?.message;
  return cause && !msg.includes(cause) ? `${msg}: ${cause}` : msg;
}

const EMPTY = new Uint8Array(0);

/** A fetched Kafka message as a {@linkcode LogRecord} (a null value reads as empty). */
export function toRecord(
  topic: string,
  partition: number,
  m: KafkaMessage,
): LogRecord {
  return {
    topic,
    partition,
    offset: Number(m.offset),
    key: m.key ? m.key.toString("utf8") : null,
    value: m.value ?? EMPTY,
    timestamp: Number(m.timestamp),
  };
}
