/** `deno task db:migrate`: applies the migrations and builds the SQL models on the configured database, then exits. */
import { loadConfig } from "../lib/config.ts";
import { openPlatformDatabase } from "../workers/database.ts";
import { logger, say } from "../lib/log.ts";

try {
  const db = await openPlatformDatabase(
    loadConfig(Deno.env.toObject(), Deno.args),
    { tool: true },
  );
  say(`Schema up to date on ${db.description}`);
  await db.close();
} catch (err) {
  logger("migrate").error((err as Error).message);
  Deno.exit(2);
}
