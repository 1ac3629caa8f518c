/**
 * A local single-node Apache Kafka broker (KRaft, controller and broker in one
 * JVM) for development, tests, benchmarks and CI; production uses a real
 * cluster through `KAFKA_BROKERS`. The jars come from Maven Central through
 * `ops/kafka/pom.xml` and are cached in `.cache/kafka/libs`; the broker binds
 * 127.0.0.1 on free ports and never creates topics by itself.
 */
import { fetchJars } from "./maven.ts";
import { logger } from "../lib/log.ts";
import { freePort } from "./ports.ts";

const log = logger("kafka-local");
const ROOT = new URL("../", import.meta.url).pathname;
/** Where the broker jars are cached. */
export const KAFKA_LIBS = `${ROOT}.cache/kafka/libs`;
const POM = `${ROOT}ops/kafka/pom.xml`;

/** A running local broker (see {@linkcode startLocalKafka}). */
export interface LocalKafka {
  /** Bootstrap address, `127.0.0.1:port`. */
  readonly brokers: string;
  /** Stops the broker (SIGTERM, then SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** Starts the stopped broker again on the same ports and log directory. */
  restart(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Fetches the broker jars with Maven unless they are cached already. */
export function fetchKafkaJars(): Promise<void> {
  return fetchJars("the Kafka jars", POM, KAFKA_LIBS);
}

function serverProperties(
  dir: string,
  port: number,
  controllerPort: number,
): string {
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    `log.dirs=${dir}/logs`,
    // The app creates its topics with explicit partition counts; a typo must fail.
    "auto.create.topics.enable=false",
    "num.partitions=1",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=8",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "transaction.state.log.num.partitions=4",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    // Lets tests hand a killed processor's partitions over in a few seconds.
    "group.min.session.timeout.ms=2000",
    // Poison payloads of 1 MB must reach the dead-letter path, not bounce.
    "message.max.bytes=4194304",
    "replica.fetch.max.bytes=4194304",
    "log.retention.hours=168",
    "log.segment.bytes=134217728",
  ].join("\n") + "\n";
}

const LOG4J = `
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = \${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka.server.KafkaServer
logger.kafka.level = INFO
`;

function java(dir: string, mainClass: string, args: string[]): Deno.Command {
  // The one-shot storage tool starts faster with the quick JIT only; the
  // broker needs the optimising one for throughput.
  const jit = mainClass === "kafka.Kafka" ? [] : ["-XX:TieredStopAtLevel=1"];
  return new Deno.Command("java", {
    args: [
      "-Xms128m",
      "-Xmx512m",
      // The throughput collector: G1's concurrent threads and write barriers
      // cost more on two cores. In the sustained phase of `deno task bench
      // --kafka` (300k events, seven runs with each collector, in
      // alternation) the broker spent 0.56-0.79 CPU-s per 100k events
      // against 0.90-1.83 with G1.
      "-XX:+UseParallelGC",
      ...jit,
      "-Djava.awt.headless=true",
      `-Dlog4j2.configurationFile=${dir}/log4j2.properties`,
      `-Dkafka.logs.dir=${dir}`,
      "-cp",
      `${KAFKA_LIBS}/*`,
      mainClass,
      ...args,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Resolves once `host:port` accepts a connection and answers a Kafka ApiVersions request. */
async function waitForBroker(
  port: number,
  child: Deno.ChildProcess,
  timeoutMs: number,
): Promise<void> {
  let exited: Deno.CommandStatus | null = null;
  child.status.then((s) => exited = s);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(
        `Kafka broker exited with code ${
          (exited as Deno.CommandStatus).code
        } during start-up`,
      );
    }
    if (await answersApiVersions(port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Kafka broker did not answer within ${timeoutMs} ms`);
}

/** Sends a minimal ApiVersions v0 request and checks that a response comes back. */
async function answersApiVersions(port: number): Promise<boolean> {
  let conn: Deno.TcpConn | undefined;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const clientId = new TextEncoder().encode("probe");
    const body = new Uint8Array(4 + 2 + 2 + 4 + 2 + clientId.length);
    const v = new DataView(body.buffer);
    v.setInt32(0, body.length - 4);
    v.setInt16(4, 18); // ApiVersions
    v.setInt16(6, 0);
    v.setInt32(8, 1);
    v.setInt16(12, clientId.length);
    body.set(clientId, 14);
    await conn.write(body);
    const buf = new Uint8Array(64);
    const timer = setTimeout(() => conn?.close(), 2000);
    const n = await conn.read(buf).finally(() => clearTimeout(timer));
    // Error code 0 right after the correlation id: the broker is serving.
    return n !== null && n >= 10 && new DataView(buf.buffer).getInt16(8) === 0;
  } catch {
    return false;
  } finally {
    try {
      conn?.close();
    } catch { /* already closed */ }
  }
}

async function pipeToFile(
  stream: ReadableStream<Uint8Array>,
  path: string,
): Promise<void> {
  const file = await Deno.open(path, {
    create: true,
    append: true,
    write: true,
  });
  await stream.pipeTo(file.writable).catch(() => {});
}

/**
 * Formats `dataDir` (if new) and starts a broker there on free ports. Throws
 * with the tail of the broker log when it does not come up.
 */
export async function startLocalKafka(
  opts: { dataDir: string; timeoutMs?: number },
): Promise<LocalKafka> {
  await fetchKafkaJars();
  const dir = opts.dataDir;
  await Deno.mkdir(dir, { recursive: true });
  const port = freePort();
  const controllerPort = freePort();
  const config = `${dir}/server.properties`;
  await Deno.writeTextFile(config, serverProperties(dir, port, controllerPort));
  await Deno.writeTextFile(`${dir}/log4j2.properties`, LOG4J);
  if (!await exists(`${dir}/logs/meta.properties`)) {
    const out = await java(dir, "kafka.tools.StorageTool", [
      "format",
      // One argument, so an id that starts with "-" is not read as an option.
      `--cluster-id=${randomClusterId()}`,
      "-c",
      config,
    ]).output();
    if (!out.success) {
      throw new Error(
        `Cannot format the Kafka log directory "${dir}/logs": ${
          new TextDecoder().decode(out.stdout).trim()
        } ${new TextDecoder().decode(out.stderr).trim()}`,
      );
    }
  }
  let child: Deno.ChildProcess | null = null;
  const launch = async () => {
    child = java(dir, "kafka.Kafka", [config]).spawn();
    void pipeToFile(child.stdout, `${dir}/stdout.log`);
    void pipeToFile(child.stderr, `${dir}/stdout.log`);
    try {
      await waitForBroker(port, child, opts.timeoutMs ?? 90_000);
    } catch (err) {
      await stopChild(child, 1000);
      child = null;
      const tail = await logTail(dir);
      throw new Error(`${(err as Error).message}; broker log: ${tail}`);
    }
  };
  await launch();
  const brokers = `127.0.0.1:${port}`;
  log.info("Kafka broker is up", { brokers, dir });
  return {
    brokers,
    async stop(graceMs = 15_000) {
      if (child) await stopChild(child, graceMs);
      child = null;
    },
    async restart() {
      if (child) throw new Error("Kafka broker is already running");
      await launch();
    },
  };
}

async function stopChild(
  child: Deno.ChildProcess,
  graceMs: number,
): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch { /* already gone */ }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, graceMs);
  await child.status;
  clearTimeout(timer);
}

async function logTail(dir: string): Promise<string> {
  const text = await Promise.all(
    ["server.log", "stdout.log"].map((f) =>
      Deno.readTextFile(`${dir}/${f}`).catch(() => "")
    ),
  );
  return text.join("\n").trim().split("\n").slice(-8).join(" | ") ||
    "(empty)";
}

/** A KRaft cluster id: 16 random bytes, URL-safe base64 without padding. */
function randomClusterId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-")
    .replaceAll("/", "_").replace(/=+$/, "");
}
