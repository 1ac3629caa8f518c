import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { lockDir } from "./dir_lock.ts";

Deno.test("dir lock - a lock this process is releasing is waited for; one it keeps is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dir_lock_" });
  try {
    const first = await lockDir(dir);
    // Released while the second open waits: it gets the lock.
    const second = lockDir(dir);
    setTimeout(() => first.close(), 50);
    (await second).close();

    const kept = await lockDir(dir);
    try {
      const t0 = performance.now();
      let message = "";
      await lockDir(dir).catch((e: Error) => (message = e.message));
      assertEquals(
        message,
        `Cannot open the embedded log at "${dir}": another process holds its lock (${dir}/LOCK, pid ${Deno.pid})`,
      );
      ok(performance.now() - t0 >= 900, "refused only after the wait");
    } finally {
      kept.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
