/** Entry point: read the configuration, start the roles, stop cleanly on SIGINT/SIGTERM. */
import { ConfigError, helpText, loadConfig } from "./lib/config.ts";
import { configureLog, logger, say } from "./lib/log.ts";
import { type Runtime, startRuntime } from "./workers/runtime.ts";

if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  say(helpText());
  Deno.exit(0);
}

const log = logger("main");
// Listening before the roles start: a SIGTERM that arrives while they start
// (a supervisor stopping a slow start) stops them once they are up, cleanly,
// instead of killing the process with status 143.
let stopping = false;
let started: Runtime | null = null;
/** Flushes the batches in flight, stops every role, exits 0. */
const shutDown = async (runtime: Runtime, signal?: string) => {
  log.info("stopping: flushing batches in flight", { signal });
  await runtime.stop();
  Deno.exit(0);
};
const stop = async (signal: string) => {
  if (stopping) {
    // A second signal while the roles still start: the user means it.
    if (!started) Deno.exit(1);
    return;
  }
  stopping = true;
  if (started) await shutDown(started, signal);
  else log.info("stopping once the roles have started", { signal });
};
Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
try {
  const config = loadConfig(Deno.env.toObject(), Deno.args);
  configureLog({ level: config.logLevel, format: config.logFormat });
  const runtime = await startRuntime(config);
  started = runtime;
  if (stopping) await shutDown(runtime);
  // A worker that keeps dying ends the process, so its supervisor restarts it.
  runtime.fatal.then(async (err) => {
    log.error("stopping: a worker cannot run", { error: err });
    stopping = true;
    await runtime.stop().catch(() => {});
    Deno.exit(1);
  });
} catch (err) {
  log.error(err instanceof ConfigError ? err.message : (err as Error).message);
  Deno.exit(err instanceof ConfigError ? 2 : 1);
}
