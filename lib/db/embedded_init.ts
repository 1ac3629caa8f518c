/**
 * Creates an embedded PostgreSQL data folder (PGlite's initdb) and exits:
 * `deno run lib/db/embedded_init.ts <dir>`. `startEmbedded` runs it in a
 * child process because initdb's WebAssembly instance stays in the parent's
 * memory until V8 happens to collect it: 657 MiB RSS after creating a folder
 * in-process, 327 MiB once collected.
 */
import { PGlite } from "@electric-sql/pglite";

if (import.meta.main) {
  const db = await PGlite.create(Deno.args[0]!);
  await db.close();
}
