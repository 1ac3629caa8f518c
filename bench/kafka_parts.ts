/** Helpers of the Kafka benchmark: the producer process, memory, load, waiting. */
import type { ProducerSpec } from "./kafka_producer.ts";

const PRODUCER = new URL("./kafka_producer.ts", import.meta.url).pathname;
const LOCK = new URL("../deno.lock", import.meta.url).pathname;

/** Runs the producer process with `spec`; resolves with how many events it sent. */
export async function produce(spec: ProducerSpec): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--lock=${LOCK}`, PRODUCER, JSON.stringify(spec)],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let last = 0;
  let buffered = "";
  for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
    buffered += text;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const l of lines) {
      // Other lines are V8's (the child inherits DENO_V8_FLAGS, --trace-gc too).
      if (l.startsWith("{")) {
        last = (JSON.parse(l) as { produced: number }).produced;
      }
    }
  }
  const status = await child.status;
  if (!status.success) {
    throw new Error(`The producer process failed with code ${status.code}`);
  }
  return last;
}

/** The 1, 5 and 15 minute load averages, as /proc/loadavg says them. */
export async function loadAverage(): Promise<string> {
  const text = await Deno.readTextFile("/proc/loadavg").catch(() => "? ? ?");
  return text.split(" ").slice(0, 3).join(" ");
}

/** Where the memory was at the peak, in MiB. */
export interface RssPeak {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

/**
 * Samples this process's memory every `everyMs`; `stop()` returns the peak
 * RSS with V8's heap and external memory at that moment, in MiB.
 */
export function peakRss(everyMs: number): { stop(): RssPeak } {
  let peak = Deno.memoryUsage();
  const sample = () => {
    const now = Deno.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  };
  const timer = setInterval(sample, everyMs);
  const mib = (n: number) => n / 2 ** 20;
  return {
    stop() {
      clearInterval(timer);
      sample();
      return {
        rss: mib(peak.rss),
        heapTotal: mib(peak.heapTotal),
        heapUsed: mib(peak.heapUsed),
        external: mib(peak.external),
      };
    },
  };
}

const mibs = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "412 MiB (V8 heap 180 MiB of 230, external 40 MiB)". */
export function peakLine(p: RssPeak): string {
  return `${mibs.format(p.rss)} MiB (V8 heap ${mibs.format(p.heapUsed)} MiB ` +
    `used of ${mibs.format(p.heapTotal)}, external ${
      mibs.format(p.external)
    } MiB)`;
}

/** Resolves once `done()` holds, checking every 20 ms. */
export async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 20));
}
