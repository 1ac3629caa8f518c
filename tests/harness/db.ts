/**
 * Tests on real databases: each test gets its own scratch database
 * (dev/db.ts) on the PostgreSQL server (TEST_DATABASE_URL, default
 * 127.0.0.1:5432) or in memory (PGlite). Where the server is not reachable
 * the test is skipped with a loud message, and under CI=true it fails instead.
 */
import {
  type Backend,
  PG_URL,
  pgProblem,
  type ScratchDb,
  withDb,
} from "../../dev/db.ts";
import { configureLog } from "../../lib/log.ts";

configureLog({ level: Deno.env.get("TEST_LOG_LEVEL") ?? "warn" });

/** True under CI=true, where a test that cannot run fails instead of skipping. */
export const IN_CI = Deno.env.get("CI") === "true";

/** A test's own database. */
export type TestDb = ScratchDb;

const problem = await pgProblem();
if (problem) {
  const msg = `\n!!! PostgreSQL at ${PG_URL} is not reachable (${problem}); ` +
    (IN_CI
      ? "CI=true, so its tests FAIL.\n"
      : "its integration tests are SKIPPED.\n");
  Deno.stderr.writeSync(new TextEncoder().encode(msg));
}

/** True when the PostgreSQL server answers. */
export const pgAvailable = problem === null;

/**
 * Registers a test that runs against each of `backends` ("postgres" is
 * skipped, or failed under CI, when the server is unreachable).
 */
export function dbTest(
  name: string,
  fn: (db: TestDb) => Promise<void>,
  backends: readonly Backend[] = ["postgres"],
): void {
  for (const backend of backends) {
    const unavailable = backend === "postgres" && !pgAvailable;
    Deno.test({
      name: backends.length > 1 ? `${name} [${backend}]` : name,
      ignore: unavailable && !IN_CI,
      sanitizeOps: false,
      sanitizeResources: false,
      fn: async () => {
        if (unavailable) {
          throw new Error(
            `PostgreSQL at ${PG_URL} is not reachable and CI=true: ${problem}`,
          );
        }
        await withDb(backend, fn);
      },
    });
  }
}
