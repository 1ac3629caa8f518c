/**
 * A reference measure of the machine, which the Kafka, embedded and lake
 * benchmarks print at their start and end: the median time per event of the
 * processor's validation step (`classify()`: UTF-8, JSON, the checks, the
 * SHA-256 content hash) over a fixed, seeded batch of the Kafka benchmark's
 * mix, in a fresh process of its own under Deno's V8 defaults (in the
 * benchmark's process it measured the heap and the background work the
 * benchmark had left, not the machine). The machines these benchmarks ran on
 * differed twofold in speed, and one slowed by 60 % within minutes while
 * idle; a figure read next to its reference can be compared with one taken
 * on another machine or at another hour.
 *
 * `deno run -A bench/reference.ts` prints the figure alone.
 */
import { fileURLToPath } from "node:url";
import { classify } from "../lib/ingest/sink.ts";
import type { Reference } from "../lib/events/schema.ts";
import { ShopSimulator } from "../lib/generators/mod.ts";
import { COMPETITORS, PRODUCTS, WAREHOUSES } from "../lib/catalog.ts";
import type { LogRecord } from "../lib/stream/log.ts";
import type { StreamName } from "../lib/stream/topics.ts";
import { pick } from "./mix.ts";
import { say } from "../lib/log.ts";

const EVENTS = 20_000;
const ROUNDS = 5;
const BATCH = 2_000;

/** Median µs per event of `classify()` over {@linkcode EVENTS} seeded events (after one warm-up round), in this process. */
export function measureHere(): number {
  const sim = new ShopSimulator({ seed: "bench-reference" });
  const enc = new TextEncoder();
  const now = Date.now();
  const batches = new Map<StreamName, LogRecord[]>();
  for (let i = 0; i < EVENTS; i++) {
    const stream = pick(i);
    let list = batches.get(stream);
    if (!list) batches.set(stream, list = []);
    list.push({
      topic: stream,
      partition: 0,
      offset: list.length,
      key: null,
      value: enc.encode(JSON.stringify(sim.make(stream, now))),
      timestamp: now,
    });
  }
  const reference: Reference = {
    products: new Set(PRODUCTS.map((p) => p.id)),
    warehouses: new Set(WAREHOUSES),
    competitors: new Set(COMPETITORS),
  };
  const times: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    let accepted = 0;
    const t0 = performance.now();
    for (const [stream, records] of batches) {
      for (let i = 0; i < records.length; i += BATCH) {
        accepted += classify(stream, records.slice(i, i + BATCH), reference)
          .accepted.length;
      }
    }
    const us = (performance.now() - t0) * 1000 / EVENTS;
    // A refused event would make this a measure of something else.
    if (accepted !== EVENTS) {
      throw new Error(
        `machine reference: ${
          EVENTS - accepted
        } of ${EVENTS} seeded events were refused`,
      );
    }
    if (round > 0) times.push(us);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** The line the benchmarks print: `when` is "start" or "end". */
export function referenceLine(when: string, us: number): string {
  return `  machine reference at the ${when}: ${
    us.toFixed(2)
  } µs per event to validate and hash ${
    EVENTS.toLocaleString("en-US")
  } seeded events (median of ${ROUNDS} rounds; lower is faster)`;
}

/** The references as the benchmarks' `--json` prints them (`machine_reference_us_per_event`). */
export function referenceFigures(
  r: { start: number; end: number },
): { start: number; end: number } {
  return { start: Number(r.start.toFixed(2)), end: Number(r.end.toFixed(2)) };
}

/** {@linkcode measureHere} in a fresh child process under Deno's V8 defaults. */
export async function machineReference(): Promise<number> {
  const env = Deno.env.toObject();
  delete env.DENO_V8_FLAGS;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--lock=${fileURLToPath(new URL("../deno.lock", import.meta.url))}`,
      fileURLToPath(import.meta.url),
    ],
    env,
    clearEnv: true,
    stdin: "null",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  const us = Number(text);
  if (!out.success || !Number.isFinite(us)) {
    throw new Error(
      `machine reference: bench/reference.ts exited with code ${out.code} and printed "${text}"`,
    );
  }
  return us;
}

if (import.meta.main) say(measureHere().toFixed(3));
