/**
 * Real Apache Kafka for tests: the broker `deno task test` started (see
 * kafka.ts), or, for a test file run on its own, a broker of its own. Where no
 * broker can run, Kafka tests are skipped with a loud message, and under
 * CI=true they fail instead. Each test gets its own topics (a random
 * TOPIC_PREFIX) and its own database.
 */
import { type LocalKafka, startLocalKafka } from "../../dev/kafka.ts";
import { PG_URL, withDb } from "../../dev/db.ts";
import { until } from "../../dev/wait.ts";
import { KafkaLog } from "../../lib/stream/kafka_log.ts";
import { topicSpecs } from "../../lib/stream/topics.ts";
import { IN_CI, pgAvailable, type TestDb } from "./db.ts";

const unavailableReason = Deno.env.get("KAFKA_BROKERS_UNAVAILABLE");
if (unavailableReason) {
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      `\n!!! Kafka is not available (${unavailableReason}); ` +
        (IN_CI ? "CI=true, so its tests FAIL.\n" : "its tests are SKIPPED.\n"),
    ),
  );
}

let ownBroker: Promise<LocalKafka> | undefined;

/** Bootstrap address of the shared broker (or of this file's own broker). */
export async function sharedBrokers(): Promise<string> {
  const fromEnv = Deno.env.get("KAFKA_BROKERS");
  if (fromEnv) return fromEnv;
  ownBroker ??= (async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "kafka-test-" });
    const k = await startLocalKafka({ dataDir });
    globalThis.addEventListener("unload", () => void k.stop(1000));
    return k;
  })();
  return (await ownBroker).brokers;
}

/** Starts a broker only this test uses (for tests that stop and restart it). */
export async function privateBroker(): Promise<
  LocalKafka & { dataDir: string }
> {
  const dataDir = await Deno.makeTempDir({ prefix: "kafka-own-" });
  const k = await startLocalKafka({ dataDir });
  return {
    brokers: k.brokers,
    restart: k.restart,
    dataDir,
    async stop(graceMs?: number) {
      await k.stop(graceMs);
    },
  };
}

export interface KafkaTestContext {
  db: TestDb;
  brokers: string;
  /** Random topic and group prefix owned by this test. */
  prefix: string;
}

/** A random TOPIC_PREFIX, e.g. `t3f9a2c1.`. */
export function randomPrefix(): string {
  return `t${crypto.randomUUID().slice(0, 8)}.`;
}

/** Opens a KafkaLog on `brokers` with this test's topics created. */
export async function openTestLog(
  brokers: string,
  prefix: string,
  tuning?: { sessionTimeoutMs?: number; concurrency?: number },
): Promise<KafkaLog> {
  const log = await KafkaLog.open({
    brokers: [brokers],
    clientId: `test-${prefix}`,
    tuning,
  });
  await log.ensureTopics(topicSpecs(prefix));
  return log;
}

/**
 * Registers a test on real Kafka and real PostgreSQL (its own database and
 * topic prefix). Skipped loudly when either is missing; failed under CI=true.
 */
export function kafkaTest(
  name: string,
  fn: (ctx: KafkaTestContext) => Promise<void>,
): void {
  const missing = unavailableReason
    ? `Kafka could not start: ${unavailableReason}`
    : !pgAvailable
    ? `PostgreSQL at ${PG_URL} is not reachable`
    : null;
  Deno.test({
    name,
    ignore: missing !== null && !IN_CI,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      if (missing) throw new Error(`${missing}, and CI=true`);
      const brokers = await sharedBrokers();
      await withDb(
        "postgres",
        (db) => fn({ db, brokers, prefix: randomPrefix() }),
      );
    },
  });
}

/** Polls `probe` every 200 ms until it returns true (see `until`); Kafka tests wait up to 2 minutes by default. */
export function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  return until(what, probe, { timeoutMs, everyMs: 200 });
}
