/**
 * The Apache Kafka adapter of the log seam (npm:kafkajs). Topics are created
 * by the app with explicit partition counts; the producer waits for every
 * in-sync replica (acks -1) and is idempotent; consumers keep their offsets in
 * PostgreSQL (see kafka_consumer.ts).
 */
// Before kafkajs: it replaces modules kafkajs takes when it loads.
import "./kafka_preload.ts";
import { Buffer } from "node:buffer";
import kafkajs from "kafkajs";
import type { Admin, Kafka, Producer } from "kafkajs";
import type { Config } from "../config.ts";
import type {
  ConsumerHandle,
  ConsumerOptions,
  EventLog,
  Message,
  TopicSpec,
} from "./log.ts";
import { startKafkaConsumer } from "./kafka_consumer.ts";
import { DEFAULT_TUNING, type KafkaConsumerTuning } from "./kafka_tuning.ts";
import { logger } from "../log.ts";
import { byteSize, describe, logCreator } from "./kafka_support.ts";
import "./kafka_guard.ts";
import "./kafka_codec.ts";

const { Kafka: KafkaClient, logLevel, Partitioners } = kafkajs;
const log = logger("kafka");

/** Largest message a topic accepts: room for the 1 MB poison payloads the DLQ must carry. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const WEEK_MS = 7 * 24 * 3600 * 1000;
/** Producer errors after which kafkajs's idempotence state is unusable. */
const FATAL_PRODUCER = new Set([
  "OUT_OF_ORDER_SEQUENCE_NUMBER",
  "INVALID_PRODUCER_EPOCH",
  "UNKNOWN_PRODUCER_ID",
  "INVALID_PRODUCER_ID_MAPPING",
]);

export interface KafkaLogOptions {
  brokers: string[];
  clientId: string;
  /** How long start-up may take to reach the broker before giving up. */
  connectTimeoutMs?: number;
  tuning?: Partial<KafkaConsumerTuning>;
}

function client(o: KafkaLogOptions): Kafka {
  return new KafkaClient({
    clientId: o.clientId,
    brokers: o.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator,
  });
}

export class KafkaLog implements EventLog {
  readonly kind = "kafka" as const;
  #kafka: Kafka;
  #admin: Admin;
  #producer: Producer | null = null;
  #consumers = new Set<ConsumerHandle>();
  #tuning: KafkaConsumerTuning;
  #brokers: string;

  private constructor(kafka: Kafka, admin: Admin, o: KafkaLogOptions) {
    this.#kafka = kafka;
    this.#admin = admin;
    this.#brokers = o.brokers.join(",");
    this.#tuning = { ...DEFAULT_TUNING, ...o.tuning };
  }

  /** Connects to `KAFKA_BROKERS`; fails in one sentence when no broker answers. */
  static connect(config: Config): Promise<KafkaLog> {
    return KafkaLog.open({
      brokers: config.kafkaBrokers.split(",").map((b) => b.trim()).filter(
        Boolean,
      ),
      clientId: config.kafkaClientId,
      tuning: { sessionTimeoutMs: config.kafkaSessionTimeoutMs },
    });
  }

  /** Connects with explicit options (tests and benchmarks tune the consumer). */
  static async open(o: KafkaLogOptions): Promise<KafkaLog> {
    const kafka = client(o);
    // Start-up should fail in seconds when the broker is wrong, not retry for minutes.
    const probe = new KafkaClient({
      clientId: o.clientId,
      brokers: o.brokers,
      connectionTimeout: 3_000,
      retry: { retries: 1, initialRetryTime: 300, maxRetryTime: 1_000 },
      logLevel: logLevel.NOTHING,
    }).admin();
    const limit = o.connectTimeoutMs ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        probe.connect().then(() => probe.describeCluster()),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${limit} ms`)),
            limit,
          );
        }),
      ]);
    } catch (err) {
      throw new Error(
        `Cannot reach Kafka at KAFKA_BROKERS="${o.brokers.join(",")}": ${
          describe(err)
        }`,
      );
    } finally {
      clearTimeout(timer);
      await probe.disconnect().catch(() => {});
    }
    const admin = kafka.admin();
    await admin.connect();
    return new KafkaLog(kafka, admin, o);
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const existing = new Set(await this.#admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      try {
        // kafkajs's own wait for leaders gives up on a topic whose metadata
        // has not spread yet; #partitionCounts waits instead.
        await this.#admin.createTopics({
          waitForLeaders: false,
          topics: missing.map((s) => ({
            topic: s.name,
            numPartitions: s.partitions,
            replicationFactor: -1,
            configEntries: [
              { name: "retention.ms", value: String(s.retentionMs ?? WEEK_MS) },
              { name: "max.message.bytes", value: String(MAX_MESSAGE_BYTES) },
            ],
          })),
        });
      } catch (err) {
        throw new Error(
          `Cannot create Kafka topics ${
            missing.map((s) => `"${s.name}"`).join(", ")
          } on "${this.#brokers}": ${describe(err)}`,
        );
      }
      log.info("created topics", {
        topics: missing.map((s) => s.name).join(","),
      });
    }
    const partitions = await this.#partitionCounts(specs);
    for (const spec of specs) {
      const count = partitions.get(spec.name);
      if (count === undefined) {
        throw new Error(
          `Kafka topic "${spec.name}" does not exist on "${this.#brokers}" and could not be created`,
        );
      }
      if (count !== spec.partitions) {
        throw new Error(
          `Kafka topic "${spec.name}" has ${count} partitions, expected ${spec.partitions}; delete it or use another TOPIC_PREFIX`,
        );
      }
    }
  }

  /**
   * Partition count per topic once every partition has a leader. A topic
   * just created can take a moment to show up in the metadata.
   */
  async #partitionCounts(
    specs: readonly TopicSpec[],
  ): Promise<Map<string, number>> {
    const deadline = Date.now() + 30_000;
    while (true) {
      try {
        const { topics } = await this.#admin.fetchTopicMetadata({
          topics: specs.map((s) => s.name),
        });
        const ready = topics.every((t) =>
          t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)
        );
        if (ready || Date.now() > deadline) {
          return new Map(topics.map((t) => [t.name, t.partitions.length]));
        }
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(
            `Cannot read the metadata of the Kafka topics on "${this.#brokers}": ${
              describe(err)
            }`,
          );
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async #getProducer(): Promise<Producer> {
    if (this.#producer) return this.#producer;
    const producer = this.#kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Java-compatible murmur2, the same placement as lib/stream/partitioner.ts.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    await producer.connect();
    this.#producer = producer;
    return producer;
  }

  send(topic: string, messages: readonly Message[]): Promise<void> {
    return this.sendMany([{ topic, messages }]);
  }

  /**
   * Sends to several topics in one request (what a generator tick produces),
   * so the topics do not queue behind each other on the one in-flight
   * request an idempotent producer may have per broker.
   */
  async sendMany(
    batches: readonly { topic: string; messages: readonly Message[] }[],
  ): Promise<void> {
    const todo = batches.filter((b) => b.messages.length > 0);
    if (todo.length === 0) return;
    const count = todo.reduce((n, b) => n + b.messages.length, 0);
    const where = `Kafka topic${todo.length > 1 ? "s" : ""} ${
      todo.map((b) => `"${b.topic}"`).join(", ")
    }`;
    for (const b of todo) {
      const big = b.messages.findIndex((m) =>
        byteSize(m.value, MAX_MESSAGE_BYTES) > MAX_MESSAGE_BYTES
      );
      if (big >= 0) {
        // The broker would refuse it too, but only after the client's retries.
        throw new Error(
          `Cannot send ${count} messages to ${where}: message ${big} is ${
            byteSize(b.messages[big]!.value, MAX_MESSAGE_BYTES)
          } bytes, over the ${MAX_MESSAGE_BYTES} byte limit (max.message.bytes)`,
        );
      }
    }
    const now = String(Date.now());
    try {
      const producer = await this.#getProducer();
      await producer.sendBatch({
        acks: -1,
        topicMessages: todo.map((b) => ({
          topic: b.topic,
          messages: b.messages.map((m) => ({
            key: m.key,
            value: typeof m.value === "string" ? m.value : Buffer.from(
              m.value.buffer,
              m.value.byteOffset,
              m.value.byteLength,
            ),
            timestamp: m.timestamp === undefined ? now : String(m.timestamp),
          })),
        })),
      });
    } catch (err) {
      await this.#resetProducerAfter(err);
      throw new Error(
        `Cannot send ${count} messages to ${where}: ${describe(err)}`,
      );
    }
  }

  /** A producer whose sequence numbers went out of step is replaced, so the next send can work. */
  async #resetProducerAfter(err: unknown): Promise<void> {
    const type = (err as { type?: string }).type ??
      (err as { cause?: { type?: string } }).cause?.type;
    const text = String((err as Error).message ?? "");
    const fatal = (type && FATAL_PRODUCER.has(type)) ||
      [...FATAL_PRODUCER].some((t) => text.includes(t)) ||
      /retries|disconnected|connection/i.test(text);
    if (!fatal || !this.#producer) return;
    const old = this.#producer;
    this.#producer = null;
    await old.disconnect().catch(() => {});
  }

  async consume(opts: ConsumerOptions): Promise<ConsumerHandle> {
    const handle = await startKafkaConsumer(
      this.#kafka,
      opts,
      this.#tuning,
      (topic) => this.endOffsets(topic),
    );
    this.#consumers.add(handle);
    return {
      done: handle.done,
      stop: async () => {
        await handle.stop();
        this.#consumers.delete(handle);
      },
    };
  }

  async endOffsets(topic: string): Promise<Map<number, number>> {
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  }

  async startOffsets(topic: string): Promise<Map<number, number>> {
    const offsets = await this.#admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.low)]));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#consumers].map((c) => c.stop()));
    this.#consumers.clear();
    await this.#producer?.disconnect().catch(() => {});
    this.#producer = null;
    await this.#admin.disconnect().catch(() => {});
  }
}
