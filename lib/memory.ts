/**
 * Gives the C heap's free memory back to the system. Deno's Rust side and V8
 * allocate I/O buffers, compiled code and the like with glibc's malloc, which
 * keeps what is freed for later. After the embedded pipeline bench, mallinfo2
 * counted 64 MiB of that heap in use and 161 MiB free but still resident;
 * `malloc_trim(0)` returned ~100 MiB of it. Trimmed once a second, the bench's
 * peak RSS fell from 454–512 MiB (five runs) to 409–440 MiB (three), at the
 * same rate.
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

interface Libc {
  trim(): number;
  close(): void;
}

function openLibc(): Libc | null {
  if (Deno.build.os !== "linux") return null;
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    log.debug("malloc_trim off: no FFI permission");
    return null;
  }
  try {
    const lib = Deno.dlopen("libc.so.6", {
      malloc_trim: { parameters: ["usize"], result: "i32" },
    });
    return {
      trim: () => lib.symbols.malloc_trim(0n),
      close: () => lib.close(),
    };
  } catch (err) {
    log.debug("malloc_trim off: no glibc", { error: err });
    return null;
  }
}

/**
 * Trims the C heap every `intervalMs` (the timer never keeps the process
 * alive). Returns the stop function; it is a no-op where trimming is off.
 */
export function startMallocTrim(intervalMs = TRIM_INTERVAL_MS): () => void {
  const libc = openLibc();
  if (libc === null) return () => {};
  const timer = setInterval(() => libc.trim(), intervalMs);
  Deno.unrefTimer(timer);
  return () => {
    clearInterval(timer);
    libc.close();
  };
}
