/** Opens the configured log: Apache Kafka when KAFKA_BROKERS is set, else the embedded one. */
import type { Config } from "../config.ts";
import type { EventLog } from "./log.ts";
import { FileLog } from "./file_log.ts";
import { topicSpecs } from "./topics.ts";

/** Opens the log and makes sure every topic exists with the right partition count. */
export async function openLog(config: Config): Promise<EventLog> {
  let log: EventLog;
  if (config.kafkaBrokers) {
    const { KafkaLog } = await import("./kafka_log.ts");
    log = await KafkaLog.connect(config);
  } else {
    log = new FileLog(`${config.dataDir}/log`, {
      fsync: config.logFsync,
      segmentBytes: config.logSegmentBytes,
      retentionCheckMs: config.logRetentionCheckMs,
    });
  }
  try {
    await log.ensureTopics(topicSpecs(config.topicPrefix));
  } catch (err) {
    await log.close().catch(() => {});
    throw err;
  }
  return log;
}
