/** `deno task db:migrate`: applies the migrations to the configured database and exits. */
import { loadConfig } from "../config.ts";
import { openDatabaseForTool } from "./mod.ts";
import { logger, say } from "../log.ts";

try {
  const db = await openDatabaseForTool(
    loadConfig(Deno.env.toObject(), Deno.args),
  );
  say(`Schema up to date on ${db.description}`);
  await db.close();
} catch (err) {
  logger("migrate").error((err as Error).message);
  Deno.exit(2);
}
