/**
 * Embedded PostgreSQL: PGlite (Postgres compiled to WebAssembly) served on a
 * loopback socket by pglite-socket, so the rest of the app talks to it through
 * postgres.js exactly as it talks to a real server.
 */
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { logger } from "../log.ts";

const log = logger("db");

export interface EmbeddedServer {
  /** `postgres://` URL of the socket server. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * shared_buffers 16 MB instead of PostgreSQL's 128 MB: PGlite touches all of
 * its shared memory when it starts, so the default cost 104 MiB of RSS from
 * the first second (286 -> 182 MiB for a started PGlite) for a database that
 * holds a few hundred MB. The embedded pipeline bench ran 21.7k events/s
 * with 128 MB and 20.4k with 32 MB, within its noise; 16 MB took 8–16 MiB
 * more off its peak (305–313 MiB against 317–339, two runs against five) at
 * 24.4–28.6k events/s against 24.9–28.6k, and the dashboard under load
 * (`bench --web`) answered as fast (worst p95 34.1 ms against 35.2). Scans
 * of the large event tables go through a small ring of buffers whatever
 * the setting, and the indexes' upper levels fit in either.
 */
const SETTINGS = ["shared_buffers=16MB"];

/**
 * V8 flags of `deno task start` (its `--v8-flags`, kept equal by
 * tests/start_task_test.ts; the embedded benchmark runs under them). V8 sizes
 * the young generation for the machine (here 24 GiB) and grows the old one
 * generously, and a busy all-in-one process kept both grown. Peak RSS of the
 * embedded pipeline bench (200k events, with the C heap trimmed, lib/memory.ts):
 * Deno's defaults 526–576 MiB (before the trim); 8 MiB semi-spaces 437–442 MiB
 * at 28.3–28.7k events/s; adding `--heap-growing-percent` (the old generation
 * grows by that much, not by V8's 1.5–4×) 50: 339 MiB at 27.0k/s, 30: 324 MiB
 * at 26.1k/s, 20: 314–316 MiB at 25.6–26.1k/s. 30 costs the pricing engine
 * 3–25 % on 300k products (its runs peaked at 308–346 MiB instead of 452–593).
 * The old generation keeps Deno's limit: pricing and backtests over a large
 * catalog need it.
 */
export const START_V8_FLAGS =
  "--max-semi-space-size=8,--heap-growing-percent=30";

/**
 * A new data folder is made by PGlite's initdb in a child process (see
 * embedded_init.ts); an in-memory one (`memory://`, tests) in this process.
 */
async function createDataDir(dataDir: string): Promise<void> {
  if (dataDir.startsWith("memory://")) return;
  const exists = await Deno.stat(`${dataDir}/PG_VERSION`).then(
    () => true,
    () => false,
  );
  if (exists) return;
  const root = new URL("../../", import.meta.url);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      `--config=${new URL("deno.json", root).pathname}`,
      `--lock=${new URL("runtime.lock", root).pathname}`,
      new URL("./embedded_init.ts", import.meta.url).pathname,
      dataDir,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `Cannot create the embedded PostgreSQL data folder "${dataDir}": ${
        new TextDecoder().decode(out.stderr).trim().slice(0, 500)
      }`,
    );
  }
}

/**
 * Starts PGlite on `dataDir` (or in memory when `dataDir` is `memory://`) and
 * serves it on 127.0.0.1:`port` (0 picks a free port).
 */
export async function startEmbedded(
  opts: { dataDir: string; port: number; maxConnections: number },
): Promise<EmbeddedServer> {
  const t0 = performance.now();
  if (!opts.dataDir.startsWith("memory://")) {
    await Deno.mkdir(opts.dataDir, { recursive: true });
  }
  await createDataDir(opts.dataDir);
  const db = await PGlite.create(opts.dataDir, { postgresqlconf: SETTINGS });
  // PGlite is one session shared by every socket connection and ignores the
  // startup packet's options, so the search path is set here, once, for all.
  await db.exec("set search_path to ecommerce, public");
  const server = new PGLiteSocketServer({
    db: groupExtendedQueries(db),
    host: "127.0.0.1",
    port: opts.port,
    maxConnections: opts.maxConnections,
  });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    const code = (err as { code?: string }).code;
    if (code === "EADDRINUSE") {
      throw new Error(
        `Cannot start embedded PostgreSQL on 127.0.0.1:${opts.port}: the port is taken (is another "deno task start" running? set EMBEDDED_PG_PORT)`,
      );
    }
    throw err;
  }
  const port = Number(server.getServerConn().split(":").pop());
  log.info("embedded PostgreSQL ready", {
    dir: opts.dataDir,
    port,
    ms: Math.round(performance.now() - t0),
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** Frontend messages that open (or continue) an extended-query sequence, which ends at Sync. */
const EXTENDED = new Set(
  ["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)),
);
const SYNC = "S".charCodeAt(0);
const QUERY = "Q".charCodeAt(0);

/**
 * pglite-socket queues connections' messages one by one and keeps a connection
 * exclusive only inside a transaction, so a Parse/Bind/Execute sequence from
 * one connection can be interleaved with another's and lose its unnamed
 * portal ("portal \"\" does not exist"). Reporting an open extended-query
 * sequence as "in transaction" makes the queue keep serving the same
 * connection until its Sync.
 */
function groupExtendedQueries(db: PGlite): PGlite {
  let open = false;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "isInTransaction") {
        return () => open || target.isInTransaction();
      }
      if (prop === "execProtocolRawStream") {
        return (message: Uint8Array, opts: unknown) => {
          const type = message[0]!;
          if (EXTENDED.has(type)) open = true;
          else if (type === SYNC || type === QUERY) open = false;
          return target.execProtocolRawStream(message, opts as never);
        };
      }
      if (prop === "exec") {
        return (q: string, o?: unknown) => {
          open = false; // the queue only calls exec to roll back a vanished connection
          return target.exec(q, o as never);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
