/** What kind of server is behind a pool: embedded PGlite or a PostgreSQL server. */
import type { Sql } from "./mod.ts";

const known = new WeakMap<object, Promise<boolean>>();

/** Whether `sql` talks to PGlite (its version string says so). Asked once per pool. */
export function isPglite(sql: Sql): Promise<boolean> {
  let answer = known.get(sql);
  if (!answer) {
    answer = sql<{ pglite: boolean }[]>`
      select version() like '%PGlite%' as pglite`.then(([r]) => r!.pglite);
    answer.catch(() => known.delete(sql));
    known.set(sql, answer);
  }
  return answer;
}
