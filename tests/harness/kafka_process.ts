/**
 * Processors as real subprocesses (`main.ts --role processor`), so tests can
 * kill them with SIGKILL the way a machine or an OOM killer would. Each one
 * writes its log to a file that a failing test prints.
 */
const ROOT = new URL("../../", import.meta.url).pathname;

export interface ProcessorProcess {
  readonly pid: number;
  /** SIGKILL: no flush, no leaving the group. */
  kill(): Promise<void>;
  /** SIGTERM: graceful; resolves with the exit code. */
  stop(): Promise<number>;
  /** The tail of its log. */
  tail(lines?: number): Promise<string>;
}

export interface ProcessorEnv {
  databaseUrl: string;
  brokers: string;
  prefix: string;
  sessionTimeoutMs?: number;
  extra?: Record<string, string>;
}

/** Starts `deno run main.ts --role processor` against the test's database and topics. */
export async function spawnProcessor(
  e: ProcessorEnv,
): Promise<ProcessorProcess> {
  const logPath = await Deno.makeTempFile({
    prefix: "processor-",
    suffix: ".log",
  });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-cron", "main.ts", "--role", "processor"],
    cwd: ROOT,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      DATABASE_URL: e.databaseUrl,
      KAFKA_BROKERS: e.brokers,
      TOPIC_PREFIX: e.prefix,
      KAFKA_SESSION_TIMEOUT_MS: String(e.sessionTimeoutMs ?? 4000),
      STATS_INTERVAL_MS: "0",
      METRICS_PORT: "0",
      PORT: "0",
      LOG_LEVEL: "info",
      DATA_DIR: await Deno.makeTempDir({ prefix: "processor-data-" }),
      ...e.extra,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const file = await Deno.open(logPath, { write: true, append: true });
    await stream.pipeTo(file.writable).catch(() => {});
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const status = child.status.then(async (s) => {
    await drained;
    return s;
  });
  return {
    pid: child.pid,
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await status;
    },
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      return (await status).code;
    },
    async tail(lines = 30) {
      const text = await Deno.readTextFile(logPath).catch(() => "");
      return text.trim().split("\n").slice(-lines).join("\n");
    },
  };
}

/** A random whole number of milliseconds in [lo, hi). */
export function randomMs(lo: number, hi: number): number {
  return Math.floor(lo + Math.random() * (hi - lo));
}
