/** Entry point: read the configuration, start the roles, stop cleanly on SIGINT/SIGTERM. */
import { ConfigError, helpText, loadConfig } from "./lib/config.ts";
import { configureLog, logger, say } from "./lib/log.ts";
import { startRuntime } from "./workers/runtime.ts";

if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  say(helpText());
  Deno.exit(0);
}

const log = logger("main");
try {
  const config = loadConfig(Deno.env.toObject(), Deno.args);
  configureLog({ level: config.logLevel, format: config.logFormat });
  const runtime = await startRuntime(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping: flushing batches in flight", { signal });
    await runtime.stop();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
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
