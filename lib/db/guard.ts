/**
 * A safety net for known postgres.js failure modes when the server drops a
 * connection (restart, `pg_terminate_backend`, network cut). The queries in
 * flight already reject and the sinks retry them; but postgres.js 3.4 can
 * also throw from a timer after the socket is gone (`socket.write` on null)
 * and leave a connection error unhandled, which would end the process. Only
 * those are absorbed (and logged); every other error keeps its default.
 */
import { logger } from "../log.ts";

const log = logger("db");

/**
 * Error codes that only say a PostgreSQL connection is gone or cannot be
 * made: the network and postgres.js connection codes, and SQLSTATE 57P01–03
 * (the server is shutting down or restarting).
 */
export const CONNECTION_LOST_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNREFUSED",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
]);

/** True for errors that only say a PostgreSQL connection went away (or wedged postgres.js writing to it). */
export function isConnectionLoss(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && CONNECTION_LOST_CODES.has(code)) return true;
  return err instanceof TypeError && /reading 'write'/.test(err.message) &&
    /postgres\/[\d.]+\/src\/connection\.js/.test(err.stack ?? "");
}

let installed = false;

/**
 * postgres.js schedules its socket writes with setImmediate. When such a write
 * throws (the wedge above), the exception must not escape into Deno's
 * immediate queue: unwinding through it leaves the queue corrupt and the
 * process later dies in `runImmediates` ("reading '_idleNext'"). So
 * immediates run inside a try/catch that absorbs exactly that error, and a
 * cleared immediate is only flagged, never unlinked twice.
 */
function guardImmediates(): void {
  const g = globalThis as unknown as {
    setImmediate: (
      fn: (...a: unknown[]) => void,
      ...args: unknown[]
    ) => unknown;
    clearImmediate: (h: unknown) => void;
  };
  const set = g.setImmediate;
  const clear = g.clearImmediate;
  if (typeof set !== "function" || typeof clear !== "function") return;
  type Handle = {
    cancelled: boolean;
    inner: unknown;
    hasRef(): boolean;
    ref(): Handle;
    unref(): Handle;
  };
  g.setImmediate = (fn, ...args) => {
    const h: Handle = {
      cancelled: false,
      inner: undefined,
      hasRef: () => true,
      ref: () => h,
      unref: () => h,
    };
    h.inner = set(() => {
      if (h.cancelled) return;
      try {
        fn(...args);
      } catch (err) {
        if (!isConnectionLoss(err)) throw err;
        log.warn(
          "a PostgreSQL connection was lost while writing; it will be reopened",
          { error: err },
        );
        if (err instanceof TypeError) resetAll();
      }
    });
    return h;
  };
  g.clearImmediate = (h) => {
    if (h && typeof h === "object" && "cancelled" in h) {
      (h as Handle).cancelled = true;
    } else clear(h);
  };
}

/** Installs the process-wide listeners once. */
export function guardConnectionLoss(): void {
  if (installed) return;
  installed = true;
  guardImmediates();
  globalThis.addEventListener("error", (e) => {
    if (!isConnectionLoss(e.error)) return;
    e.preventDefault();
    log.warn("a PostgreSQL connection was lost; it will be reopened", {
      error: e.error,
    });
    if (e.error instanceof TypeError) resetAll();
  });
  globalThis.addEventListener("unhandledrejection", (e) => {
    if (!isConnectionLoss(e.reason)) return;
    e.preventDefault();
    log.warn("a PostgreSQL connection was lost; it will be reopened", {
      error: e.reason,
    });
    if (e.reason instanceof TypeError) resetAll();
  });
}

const pools = new Set<() => void>();

/**
 * Wraps a pool factory in a handle that forwards to the current pool and
 * swaps in a fresh one when a wedged connection is detected. postgres.js 3.4
 * can throw from its write path after the server closed a connection inside
 * a transaction, leaving that connection unable ever to reconnect; the only
 * cure is a new pool. In-flight work on the old pool fails and is retried.
 */
export function resettable<T extends object>(open: () => T): T {
  guardConnectionLoss();
  let current = open();
  const reset = () => {
    const old = current as { end?: (o: { timeout: number }) => Promise<void> };
    current = open();
    old.end?.({ timeout: 0 }).catch(() => {});
  };
  pools.add(reset);
  const target = function () {} as unknown as T;
  return new Proxy(target, {
    apply: (_t, _this, args) =>
      Reflect.apply(
        current as unknown as (...a: unknown[]) => unknown,
        undefined,
        args,
      ),
    get: (_t, prop) => {
      if (prop === "end") {
        return (o?: { timeout?: number }) => {
          pools.delete(reset);
          return (current as unknown as { end(o?: unknown): Promise<void> })
            .end(o);
        };
      }
      const v = Reflect.get(current, prop);
      return typeof v === "function" ? v.bind(current) : v;
    },
  });
}

/**
 * Looks at an error a caller caught: if it says postgres.js wedged a
 * connection (the write on a closed socket, or connect time-outs that follow
 * it), the pools are renewed.
 */
export function noteQueryError(err: unknown): void {
  const code = (err as { code?: unknown })?.code;
  if (
    (err instanceof TypeError && isConnectionLoss(err)) ||
    code === "CONNECT_TIMEOUT"
  ) resetAll();
}

let resetPending = false;

/**
 * Renews every pool once per burst: the several connections that one outage
 * wedges at the same moment share a single renewal, and a later outage gets
 * its own.
 */
function resetAll(): void {
  if (resetPending) return;
  resetPending = true;
  queueMicrotask(() => {
    resetPending = false;
    log.warn("renewing the PostgreSQL pools after a wedged connection", {
      pools: pools.size,
    });
    for (const reset of pools) reset();
  });
}
