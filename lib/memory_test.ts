import { ok } from "node:assert/strict";
import { MMAP_THRESHOLD, startMallocTuning } from "./memory.ts";

const linux = Deno.build.os === "linux";

const PAGE = 4096n;

Deno.test({
  name: "memory - trimming returns the C heap's freed memory to the system",
  ignore: !linux,
  async fn() {
    const libc = Deno.dlopen("libc.so.6", {
      malloc: { parameters: ["usize"], result: "pointer" },
      free: { parameters: ["pointer"], result: "void" },
      memset: { parameters: ["pointer", "i32", "usize"], result: "pointer" },
      mincore: { parameters: ["pointer", "usize", "buffer"], result: "i32" },
    });
    // The pages wholly inside the freed blocks, and how many of them are in
    // memory (mincore). The process's RSS would not do: deno test --parallel
    // runs other test modules in the same process meanwhile, and they
    // allocate (in CI a 128 MiB trim once showed as a 60 MiB fall).
    const resident = (ranges: [bigint, bigint][]) => {
      let pages = 0, inMemory = 0;
      for (const [from, to] of ranges) {
        const n = Number((to - from) / PAGE);
        const vec = new Uint8Array(n);
        const rc = libc.symbols.mincore(
          Deno.UnsafePointer.create(from),
          to - from,
          vec,
        );
        if (rc !== 0) throw new Error(`mincore failed at ${from}`);
        pages += n;
        inMemory += vec.reduce((a, b) => a + (b & 1), 0);
      }
      return { pages, inMemory };
    };
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
      const freed = blocks.filter((_, i) => i % 256 !== 0)
        .map((p) => Deno.UnsafePointer.value(p) as bigint)
        .sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
      // Runs of neighbouring freed blocks, each cut to its whole pages.
      const ranges: [bigint, bigint][] = [];
      let first = freed[0]!, last = first;
      const close = () => {
        const from = (first + PAGE - 1n) / PAGE * PAGE;
        const to = (last + 4096n) / PAGE * PAGE;
        if (to > from) ranges.push([from, to]);
      };
      for (const a of freed.slice(1)) {
        if (a - last > 2n * PAGE) {
          close();
          first = a;
        }
        last = a;
      }
      close();
      blocks.forEach((p, i) => i % 256 !== 0 && libc.symbols.free(p));
      const before = resident(ranges);
      // The timer deployed processes run (workers/runtime.ts), sped up.
      const stop = startMallocTuning(5);
      await new Promise((r) => setTimeout(r, 50));
      stop();
      const after = resident(ranges);
      const mib = (pages: number) => `${(pages / 256).toFixed(0)} MiB`;
      ok(
        before.pages >= 25_000,
        `only ${before.pages} whole pages freed: the blocks were scattered`,
      );
      ok(
        before.inMemory > before.pages * 0.9,
        `${mib(before.inMemory)} of the ${
          mib(before.pages)
        } freed were in memory before the trim`,
      );
      ok(
        after.inMemory < after.pages * 0.1,
        `${mib(after.inMemory)} of the ${
          mib(after.pages)
        } freed still in memory after the trim`,
      );
      kept.forEach((p) => libc.symbols.free(p));
    } finally {
      libc.close();
    }
  },
});

Deno.test("memory - the trim timer stops, and never keeps the process alive", async () => {
  const stop = startMallocTuning(5);
  await new Promise((r) => setTimeout(r, 20));
  stop();
  // The test sanitizer fails this test if the interval were still running.
});

Deno.test({
  name:
    "memory - blocks from the mmap threshold up no longer grow the heap, even after a larger one was freed",
  ignore: !linux,
  fn() {
    const libc = Deno.dlopen("libc.so.6", {
      malloc: { parameters: ["usize"], result: "pointer" },
      free: { parameters: ["pointer"], result: "void" },
      mallinfo2: {
        parameters: [],
        result: { struct: Array(10).fill("usize") },
      },
    });
    // mallinfo2's fields 3 (hblks: blocks mapped on their own) and 8
    // (fordblks: free bytes in the heap, which malloc serves first).
    const info = () => {
      const v = new BigUint64Array(
        (libc.symbols.mallinfo2() as Uint8Array).buffer,
      );
      return { mapped: Number(v[3]), free: Number(v[8]) };
    };
    const stop = startMallocTuning();
    try {
      // glibc's default would raise its threshold to 16 MiB on this free.
      libc.symbols.free(libc.symbols.malloc(16n << 20n));
      // More blocks just over the threshold than the heap's free space
      // holds: the rest must be mapped, where by default they grow the heap.
      const size = MMAP_THRESHOLD + 1024;
      const before = info();
      const n = Math.ceil(before.free / size) + 64;
      const blocks = Array.from(
        { length: n },
        () => libc.symbols.malloc(BigInt(size))!,
      );
      const mapped = info().mapped - before.mapped;
      blocks.forEach((p) => libc.symbols.free(p));
      ok(mapped >= 64, `${mapped} of ${n} blocks mapped`);
    } finally {
      stop();
      libc.close();
    }
  },
});
