/**
 * Keeps the C heap small. Deno's Rust side and V8 allocate I/O buffers,
 * compiled code and the like with glibc's malloc, which keeps what is freed
 * for later.
 *
 * - A trim gives the heap's free pages back to the system. After the embedded
 *   pipeline bench, mallinfo2 counted 64 MiB of that heap in use and 161 MiB
 *   free but still resident; `malloc_trim(0)` returned ~100 MiB of it.
 *   Trimmed once a second, the bench's peak RSS fell from 454–512 MiB (five
 *   runs) to 409–440 MiB (three), at the same rate.
 * - A fixed mmap threshold keeps large blocks out of the heap. glibc starts
 *   at 128 KiB and raises the threshold to the size of every mapped block
 *   that is freed (up to 32 MiB), so after a while even multi-MiB fetch
 *   responses and COPY buffers come from the heap, between small live
 *   blocks, where a trim cannot return whole pages: in the same bench
 *   mallinfo2 once counted 62 MiB in use and 55 MiB free in 42,000 pieces.
 *   See MMAP_THRESHOLD for what the threshold costs and saves.
 *
 * glibc only: elsewhere (macOS, musl), or without the FFI permission, it does
 * nothing and says so at debug level. It never asks for a permission.
 */
import { logger } from "./log.ts";

const log = logger("memory");

/**
 * How often the heap is trimmed. A trim runs on the event loop: 2–3 ms on
 * average and 6 ms at most during the embedded bench, 0.3 % of a core.
 */
export const TRIM_INTERVAL_MS = 1000;

/**
 * Blocks from 1 MiB up are mapped on their own and unmapped when freed
 * (mallopt M_MMAP_THRESHOLD, which also stops glibc from raising it to 32
 * MiB as it frees mapped blocks, after which the heap fragments).
 *
 * It was 32 KiB, which kept the embedded bench's peak RSS a few MiB lower
 * (285–287 MiB against 288–292 with 64 KiB, in the fifth session), but made
 * every Kafka fetch response, socket read and COPY buffer a fresh mapping:
 * an mmap, a page fault per 4 KiB as it is first written, an munmap.
 * `Buffer.concat` of a 170 KB response (kafkajs joins each fetch response's
 * chunks) ran at 228 MB/s against 1,054 MB/s at glibc's default, and in a
 * CPU profile of a 400k drain copies into fresh buffers were 9 % of the
 * processor. Three 400k drains each, in alternation: the processor's CPU
 * per 100k events 2.51–2.96 s at 32 KiB, 1.95–2.07 at 1 MiB, 1.75–2.28 at
 * the default; drained 29.0k–35.5k, 39.7k–41.3k and 33.7k–43.4k events/s;
 * peak RSS 201–209, 206–211 and 212–222 MiB. The embedded bench, three
 * pairs (32 KiB against 1 MiB): peak RSS 284–292 against 288–292 MiB, and
 * events/s no lower.
 */
export const MMAP_THRESHOLD = 1024 * 1024;

/** mallopt's parameter number for the mmap threshold (glibc's malloc.h). */
const M_MMAP_THRESHOLD = -3;

interface Libc {
  trim(): number;
  /** Sets the mmap threshold; false where glibc refused it. */
  mmapThreshold(bytes: number): boolean;
  close(): void;
}

function openLibc(): Libc | null {
  if (Deno.build.os !== "linux") return null;
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    log.debug("malloc tuning off: no FFI permission");
    return null;
  }
  try {
    const lib = Deno.dlopen("libc.so.6", {
      malloc_trim: { parameters: ["usize"], result: "i32" },
      mallopt: { parameters: ["i32", "i32"], result: "i32" },
    });
    return {
      trim: () => lib.symbols.malloc_trim(0n),
      mmapThreshold: (bytes) =>
        lib.symbols.mallopt(M_MMAP_THRESHOLD, bytes) === 1,
      close: () => lib.close(),
    };
  } catch (err) {
    log.debug("malloc tuning off: no glibc", { error: err });
    return null;
  }
}

/**
 * Fixes the mmap threshold at MMAP_THRESHOLD and trims the C heap every
 * `intervalMs` (the timer never keeps the process alive). Returns the stop
 * function, which ends the trims; it is a no-op where tuning is off. The
 * threshold stays: it holds for the whole process.
 */
export function startMallocTuning(intervalMs = TRIM_INTERVAL_MS): () => void {
  const libc = openLibc();
  if (libc === null) return () => {};
  if (!libc.mmapThreshold(MMAP_THRESHOLD)) {
    log.debug("malloc's mmap threshold left as it was: mallopt refused it");
  }
  const timer = setInterval(() => libc.trim(), intervalMs);
  Deno.unrefTimer(timer);
  return () => {
    clearInterval(timer);
    libc.close();
  };
}
