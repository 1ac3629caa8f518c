import { ok } from "node:assert/strict";
import { startMallocTrim } from "./memory.ts";

const linux = Deno.build.os === "linux";

function rssMiB(): number {
  const pages = Number(Deno.readTextFileSync("/proc/self/statm").split(" ")[1]);
  return (pages * 4096) / 2 ** 20;
}

Deno.test({
  name: "memory - trimming returns the C heap's freed memory to the system",
  ignore: !linux,
  async fn() {
    const libc = Deno.dlopen("libc.so.6", {
      malloc: { parameters: ["usize"], result: "pointer" },
      free: { parameters: ["pointer"], result: "void" },
      memset: { parameters: ["pointer", "i32", "usize"], result: "pointer" },
    });
    try {
      // 128 MiB in 4 KiB blocks (below the mmap threshold: they come from
      // the heap), touched, then all freed but every 256th: the free space
      // is in the middle of the heap, where only a trim can return it.
      const blocks = Array.from({ length: 32_768 }, () => {
        const p = libc.symbols.malloc(4096n)!;
        libc.symbols.memset(p, 1, 4096n);
        return p;
      });
      const kept = blocks.filter((_, i) => i % 256 === 0);
      blocks.forEach((p, i) => i % 256 !== 0 && libc.symbols.free(p));
      const before = rssMiB();
      // The timer deployed processes run (workers/runtime.ts), sped up.
      const stop = startMallocTrim(5);
      await new Promise((r) => setTimeout(r, 50));
      stop();
      const after = rssMiB();
      ok(
        before - after > 64,
        `RSS fell by ${(before - after).toFixed(0)} MiB (${
          before.toFixed(0)
        } -> ${after.toFixed(0)})`,
      );
      kept.forEach((p) => libc.symbols.free(p));
    } finally {
      libc.close();
    }
  },
});

Deno.test("memory - the trim timer stops, and never keeps the process alive", async () => {
  const stop = startMallocTrim(5);
  await new Promise((r) => setTimeout(r, 20));
  stop();
  // The test sanitizer fails this test if the interval were still running.
});
