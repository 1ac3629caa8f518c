/**
 * `deno task models:refresh`: builds the models if their definitions changed
 * and refreshes the marts concurrently. `deno task models:test`: runs the
 * models' schema tests (the "models" group of the quality checks).
 * Exit status: 0 success, 1 a schema test failed, 2 cannot run.
 */
import { ConfigError, loadConfig } from "../lib/config.ts";
import { openDatabaseForTool } from "../lib/db/mod.ts";
import { configureLog, say } from "../lib/log.ts";
import { qualityCommand } from "../lib/quality/command.ts";
import { ensureModels } from "../lib/models/build.ts";
import { refreshModels } from "../lib/models/refresh.ts";

async function refresh(args: readonly string[]): Promise<number> {
  let db;
  try {
    const config = loadConfig(Deno.env.toObject(), args);
    configureLog({ level: "warn", format: config.logFormat });
    db = await openDatabaseForTool(config);
  } catch (err) {
    const msg = err instanceof ConfigError
      ? err.message
      : (err as Error).message;
    Deno.stderr.writeSync(new TextEncoder().encode(msg + "\n"));
    return 2;
  }
  try {
    const { built } = await ensureModels(db.sql);
    if (built) say("models rebuilt from sql/models/");
    for (const r of await refreshModels(db.sql)) {
      say(`refreshed ${r.model.padEnd(26)} ${r.rows} rows in ${r.ms} ms`);
    }
    return 0;
  } catch (err) {
    Deno.stderr.writeSync(
      new TextEncoder().encode(
        `Cannot refresh the models on ${db.description}: ${
          (err as Error).message
        }\n`,
      ),
    );
    return 2;
  } finally {
    await db.close().catch(() => {});
  }
}

if (import.meta.main) {
  const [command, ...rest] = Deno.args;
  if (command === "refresh") Deno.exit(await refresh(rest));
  if (command === "test") {
    Deno.exit(
      await qualityCommand(rest, {
        select: (checks) => checks.filter((c) => c.group === "models"),
      }),
    );
  }
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      `Unknown command "${command ?? ""}", expected refresh or test\n`,
    ),
  );
  Deno.exit(2);
}
