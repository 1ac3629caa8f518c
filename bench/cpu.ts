/**
 * Where a phase's CPU time went, per component, from /proc: this process
 * (the processor), the children it waited for (the producer processes), the
 * PostgreSQL server (every `postgres` process) and the Kafka broker. Each process's user and system
 * time counts with its reaped children's, so a backend or a producer that
 * exits between two snapshots is still counted (in its parent's share).
 * Linux only; elsewhere every figure is null.
 */

/** Seconds of CPU per component. */
export interface CpuSplit {
  processor: number;
  producer: number;
  postgres: number;
  broker: number;
}

/** Ticks of every process at one moment, by pid. */
type Snapshot = Map<number, { comm: string; own: number; children: number }>;

const TICKS_PER_S = 100; // USER_HZ: 100 on every Linux Deno runs on

/** utime, stime, cutime and cstime of one /proc/<pid>/stat line. */
function parseStat(text: string) {
  // comm is in parentheses and may hold spaces: the fields start after the last ")".
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const f = text.slice(close + 2).split(" ");
  // f[0] is field 3 (state): utime is field 14, so f[11].
  const n = (i: number) => Number(f[i]);
  return { comm, own: n(11) + n(12), children: n(13) + n(14) };
}

async function snapshot(): Promise<Snapshot | null> {
  const out: Snapshot = new Map();
  try {
    for await (const e of Deno.readDir("/proc")) {
      const pid = Number(e.name);
      if (!Number.isInteger(pid)) continue;
      const text = await Deno.readTextFile(`/proc/${pid}/stat`).catch(() =>
        null
      );
      if (text) out.set(pid, parseStat(text));
    }
  } catch {
    return null;
  }
  return out;
}

function split(s: Snapshot): CpuSplit {
  const c: CpuSplit = { processor: 0, producer: 0, postgres: 0, broker: 0 };
  for (const [pid, p] of s) {
    if (pid === Deno.pid) {
      c.processor += p.own;
      c.producer += p.children;
    } else if (p.comm === "postgres") {
      c.postgres += p.own + p.children;
    } else if (p.comm === "java") {
      c.broker += p.own;
    }
  }
  return c;
}

/**
 * Starts counting; `stop()` returns the CPU seconds each component spent
 * since. Every `java` process counts as the broker (a remote broker: 0).
 */
export async function cpuMeter(): Promise<
  { stop(): Promise<CpuSplit | null> }
> {
  const before = await snapshot();
  return {
    async stop() {
      const after = await snapshot();
      if (!before || !after) return null;
      const a = split(after), b = split(before);
      const s = (k: keyof CpuSplit) => (a[k] - b[k]) / TICKS_PER_S;
      return {
        processor: s("processor"),
        producer: s("producer"),
        postgres: s("postgres"),
        broker: s("broker"),
      };
    },
  };
}

/** `c` scaled to 100k events, in hundredths of a second. */
export function per100k(c: CpuSplit | null, events: number): CpuSplit | null {
  if (!c) return null;
  const s = (v: number) => Math.round(v / events * 100_000 * 100) / 100;
  return {
    processor: s(c.processor),
    producer: s(c.producer),
    postgres: s(c.postgres),
    broker: s(c.broker),
  };
}

/** "CPU-s per 100k events: processor 2.1, PostgreSQL 3.0, broker 1.2, producer 1.9". */
export function cpuLine(c: CpuSplit | null, events: number): string {
  const p = per100k(c, events);
  if (!p) return "CPU per component: not available (no /proc)";
  const parts = [
    `processor ${p.processor}`,
    `PostgreSQL ${p.postgres}`,
    `broker ${p.broker}`,
  ];
  if (p.producer > 0) parts.push(`producer ${p.producer}`);
  return `CPU-s per 100k events: ${parts.join(", ")}`;
}
