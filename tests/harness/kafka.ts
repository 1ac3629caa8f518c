/**
 * The shared Apache Kafka broker of a test run: `deno task test` starts it
 * once (this SERVICES row) and passes KAFKA_BROKERS to every test file.
 * Test helpers that use it are in kafka_env.ts.
 */
import { startLocalKafka } from "../../dev/kafka.ts";
import type { Service } from "./services.ts";

/** The SERVICES row: one broker for the whole run, in a temporary folder. */
export const kafkaService: Service = {
  name: "kafka",
  envVar: "KAFKA_BROKERS",
  async start() {
    const dataDir = await Deno.makeTempDir({ prefix: "kafka-test-" });
    const kafka = await startLocalKafka({ dataDir });
    return {
      env: { KAFKA_BROKERS: kafka.brokers },
      async stop() {
        await kafka.stop();
        await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      },
    };
  },
};
