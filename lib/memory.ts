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
 *   that is freed (up to 32 MiB), so after a while the socket reads and COPY
 *   buffers (tens to hundreds of KiB, short-lived) come from the heap, between
 *   small live blocks, where a trim cannot return whole pages: later in the
 *   same bench mallinfo2 counted 62 MiB in use and 55 MiB free in 42,000
 *   pieces. See MMAP_THRESHOLD for what fixing it saved.
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
 * Blocks from 32 KiB up are mapped on their own and unmapped when freed
 * (mallopt M_MMAP_THRESHOLD, which also stops glibc from raising it). The
 * embedded pipeline bench, three runs each in alternation, both with
 * shared_buffers at 16 MB: peak RSS 285–287 MiB at 24.5–27.6k events/s,
 * against 288–292 MiB at 26.0–28.6k with 64 KiB, and (with 32 MB shared
 * buffers) 308–310 MiB with 64 KiB against 317–339 MiB at glibc's default.
 */
export const MMAP_THRESHOLD = 32 * 1024;

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
