/**
 * The exclusive lock on the embedded log's folder: two processes appending to
 * the same segments would cut each other's frames, so the second one is
 * refused at open. It is an advisory `flock` on `<dir>/LOCK`; the kernel
 * drops it when the process dies, so a crash never leaves a stale lock.
 */
const enc = new TextEncoder();

/**
 * How long a lock that names this process is waited for. A log of this
 * process closed a moment ago may not have released it yet: once in CI, under
 * load, a reopen right after an awaited close() was refused, naming this
 * process (the lock file's handle was closed, its release had not landed).
 * Another log of this process that really holds the folder is still refused,
 * this much later.
 */
const OWN_RELEASE_WAIT_MS = 1000;

/**
 * Takes the lock; throws naming the folder and the lock file when another
 * process holds it (at once) or another log of this one does (after
 * OWN_RELEASE_WAIT_MS).
 */
export async function lockDir(dir: string): Promise<Deno.FsFile> {
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/LOCK`;
  const file = await Deno.open(path, { read: true, write: true, create: true });
  let locked = false;
  try {
    locked = await file.tryLock(true);
    const until = performance.now() + OWN_RELEASE_WAIT_MS;
    while (
      !locked && performance.now() < until &&
      await holder(path) === String(Deno.pid)
    ) {
      await new Promise((r) => setTimeout(r, 10));
      locked = await file.tryLock(true);
    }
    if (!locked) {
      const pid = await holder(path);
      throw new Error(
        `Cannot open the embedded log at "${dir}": another process holds its lock (${path}${
          pid ? `, pid ${pid}` : ""
        })`,
      );
    }
    // For the message above, seen by whoever comes next.
    await file.truncate(0);
    await file.write(enc.encode(`${Deno.pid}\n`));
    return file;
  } catch (err) {
    file.close();
    throw err;
  }
}

/** The pid the lock's last holder wrote into it ("" when unreadable). */
async function holder(path: string): Promise<string> {
  return (await Deno.readTextFile(path).catch(() => "")).trim();
}
