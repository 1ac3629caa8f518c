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
  /**
   * SIGTERM once it runs (a signal before main.ts has loaded would meet no
   * handler and end it with 143): graceful; resolves with the exit code.
   */
  stop(): Promise<number>;
  /** Where its stdout and stderr go. */
  readonly logPath: string;
  /** The tail of its log. */
  tail(lines?: number): Promise<string>;
  /** Exit code once it has exited on its own or been stopped, else null. */
  exitCode(): number | null;
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
  // The shell hands the log file to the child directly: piping through this
  // process would hold lines back until the child exits.
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      'exec "$0" run -A --lock=deno.lock --unstable-cron main.ts --role processor >>"$PROCESSOR_LOG" 2>&1',
      Deno.execPath(),
    ],
    cwd: ROOT,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      PROCESSOR_LOG: logPath,
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
    stdout: "null",
    stderr: "null",
  }).spawn();
  const status = child.status;
  let exited: number | null = null;
  status.then((s) => exited = s.code);
  return {
    pid: child.pid,
    logPath,
    exitCode: () => exited,
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await status;
    },
    async stop() {
      const deadline = Date.now() + 60_000;
      while (exited === null && Date.now() < deadline) {
        const text = await Deno.readTextFile(logPath).catch(() => "");
        if (/\[runtime\] running/.test(text)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      return (await status).code;
    },
    async tail(lines = 30) {
      const bytes = await Deno.readFile(logPath).catch((err) =>
        new TextEncoder().encode(`(cannot read ${logPath}: ${err})`)
      );
      const text = new TextDecoder().decode(bytes.subarray(-512 * 1024));
      return text.trim().split("\n").slice(-lines).join("\n");
    },
  };
}

/** A random whole number of milliseconds in [lo, hi). */
export function randomMs(lo: number, hi: number): number {
  return Math.floor(lo + Math.random() * (hi - lo));
}

/** Runs `main.ts` to completion (for start-up failures); returns its exit code and output. */
export async function runMain(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; output: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--lock=deno.lock",
      "--unstable-cron",
      "main.ts",
      ...args,
    ],
    cwd: ROOT,
    env: { STATS_INTERVAL_MS: "0", METRICS_PORT: "0", PORT: "0", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    output: dec.decode(out.stdout) + dec.decode(out.stderr),
  };
}
