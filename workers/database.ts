/**
 * The platform's database, ready for every role: opened (embedded PGlite or a
 * server), migrated, and with the SQL models of `sql/models/` built.
 */
import type { Config } from "../lib/config.ts";
import {
  type Database,
  openDatabase,
  openDatabaseForTool,
} from "../lib/db/mod.ts";
import { ensureModels } from "../lib/models/build.ts";

/**
 * Opens the database, applies the migrations and builds the models. `tool`
 * opens it the way a command-line task does (through a running platform's
 * embedded server when there is one).
 */
export async function openPlatformDatabase(
  config: Config,
  opts: { tool?: boolean } = {},
): Promise<Database> {
  const db = opts.tool
    ? await openDatabaseForTool(config)
    : await openDatabase(config);
  try {
    await ensureModels(db.sql);
  } catch (err) {
    await db.close().catch(() => {});
    throw new Error(
      `Cannot build the SQL models on ${db.description}: ${
        (err as Error).message
      }`,
      { cause: err },
    );
  }
  return db;
}
