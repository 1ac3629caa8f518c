/**
 * Fails fast while the database is down. postgres.js backs off between
 * reconnects (up to 20 s), so without this every page would hang that long
 * before its 503. Once a request has seen the database down, later requests
 * first probe it with a short deadline and answer 503 at once if it is still
 * unreachable; the first successful probe reopens the gate.
 */
import type { MiddlewareHandler } from "hono";
import type { Sql } from "../db/mod.ts";
import { DB_DOWN_MESSAGE, HttpError, isDatabaseDown } from "./http_error.ts";

const PROBE_MS = 1000;

export class DbGate {
  #down = false;
  constructor(readonly sql: Sql) {}

  /** Records what an error says about the database. */
  saw(err: unknown): void {
    if (isDatabaseDown(err)) this.#down = true;
  }

  /** Resolves when the database answers; 503 within a second when it does not. */
  async check(): Promise<void> {
    if (!this.#down) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const up = await Promise.race([
      this.sql`select 1`.then(() => true, () => false),
      new Promise<boolean>((
        r,
      ) => (timer = setTimeout(() => r(false), PROBE_MS))),
    ]);
    clearTimeout(timer);
    if (!up) throw new HttpError(503, DB_DOWN_MESSAGE);
    this.#down = false;
  }

  /** Middleware: passes when the database answers, 503 within a second when it does not. */
  middleware(): MiddlewareHandler {
    const check = () => this.check();
    return async function databaseGate(_c, next) {
      await check();
      await next();
    };
  }
}
