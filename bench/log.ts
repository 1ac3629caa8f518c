/**
 * The embedded log's write path (`deno task bench --log`): what LOG_FSYNC
 * costs. Sends `--events` (default 100,000) small clickstream-sized messages
 * in batches of `--batch` (500) into a 6-partition topic, once with fsync
 * "never" and once "always": one producer awaiting each send, then
 * `--producers` (4) producers at once, whose sends share fsyncs.
 */
import { parseArgs } from "../lib/config.ts";
import { FileLog, type FsyncMode } from "../lib/stream/file_log.ts";
import type { Message } from "../lib/stream/log.ts";
import { configureLog, say } from "../lib/log.ts";

const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** ~200 bytes, about a clickstream event's size. */
function messages(from: number, n: number): Message[] {
  return Array.from({ length: n }, (_, i) => {
    const id = from + i;
    const product = `P${String(id % 30 + 1).padStart(3, "0")}`;
    return {
      key: product,
      value: JSON.stringify({
        event_id: crypto.randomUUID(),
        user_id: `U${id % 50}`,
        event_type: "page_view",
        product_id: product,
        timestamp: new Date(1_700_000_000_000 + id).toISOString(),
        device_type: "mobile",
      }),
    };
  });
}

async function measure(
  fsync: FsyncMode,
  events: number,
  batch: number,
  producers: number,
): Promise<{ perSecond: number; sends: number; rounds: number }> {
  const dir = await Deno.makeTempDir({ prefix: "bench_log_" });
  const log = new FileLog(dir, { fsync });
  try {
    await log.ensureTopics([{ name: "bench", partitions: 6 }]);
    const each = Math.ceil(events / producers);
    // Built before the clock starts: the figure is the log's, not JSON's.
    const batches = Array.from({ length: producers }, (_, p) => {
      const list: Message[][] = [];
      for (let i = 0; i < each; i += batch) {
        list.push(messages(p * each + i, Math.min(batch, each - i)));
      }
      return list;
    });
    const t0 = performance.now();
    await Promise.all(batches.map(async (list) => {
      for (const b of list) await log.send("bench", b);
    }));
    const s = (performance.now() - t0) / 1000;
    return {
      perSecond: events / s,
      sends: batches.flat().length,
      rounds: log.fsyncRounds,
    };
  } finally {
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
}

export async function run(args: string[]): Promise<void> {
  configureLog({ level: "warn" });
  const { flags } = parseArgs(args);
  const events = Number(flags.get("events") ?? 100_000);
  const batch = Number(flags.get("batch") ?? 500);
  const producers = Number(flags.get("producers") ?? 4);
  say(
    `Embedded log write path: ${
      fmt.format(events)
    } messages of ~200 bytes in sends of ${batch}, 6 partitions`,
  );
  for (const n of [1, producers]) {
    for (const fsync of ["never", "always"] as const) {
      const r = await measure(fsync, events, batch, n);
      say(
        `  LOG_FSYNC=${fsync.padEnd(6)} ${n} producer${n > 1 ? "s" : " "}: ${
          fmt.format(r.perSecond).padStart(9)
        } events/s (${r.sends} sends, ${r.rounds} fsync rounds)`,
      );
    }
  }
}
