/**
 * Local Apache Kafka, for development and CI:
 *   deno task kafka:local    runs a single-node broker in the foreground until Ctrl-C
 *   deno task kafka:fetch    only fetches the broker jars (cached in .cache/kafka/libs)
 *   deno task kafka:topics   creates the platform's topics on KAFKA_BROKERS
 */
import { fetchKafkaJars, startLocalKafka } from "../dev/kafka.ts";
import { loadConfig } from "../lib/config.ts";
import { say } from "../lib/log.ts";

const [command = "run", ...rest] = Deno.args;

if (command === "fetch") {
  await fetchKafkaJars();
  say("Kafka jars are in .cache/kafka/libs");
} else if (command === "topics") {
  const config = loadConfig(Deno.env.toObject(), rest);
  if (!config.kafkaBrokers) {
    say("Set KAFKA_BROKERS to the broker to create the topics on");
    Deno.exit(2);
  }
  const { openLog } = await import("../lib/stream/mod.ts");
  const log = await openLog(config);
  await log.close();
  say(`Topics are ready on ${config.kafkaBrokers}`);
} else if (command === "run") {
  const dataDir = Deno.env.get("KAFKA_DATA_DIR") ?? "./data/kafka";
  const kafka = await startLocalKafka({ dataDir });
  say(`Kafka is running: KAFKA_BROKERS=${kafka.brokers} (Ctrl-C stops it)`);
  const stop = async () => {
    await kafka.stop();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
} else {
  say(`Unknown command "${command}"; expected run, fetch or topics`);
  Deno.exit(2);
}
