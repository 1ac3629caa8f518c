/**
 * The exclusive lock on the embedded log's folder: two processes appending to
 * the same segments would cut each other's frames, so the second one is
 * refused at open. It is an advisory `flock` on `<dir>/LOCK`; the kernel
 * drops it when the process dies, so a crash never leaves a stale lock.
 */
const enc = new TextEncoder();

/**
 * Takes the lock without waiting; throws naming the folder and the lock
 * file when another process (or another log in this one) holds it.
 */
export async function lockDir(dir: string): Promise<Deno.FsFile> {
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/LOCK`;
  const file = await Deno.open(path, { read: true, write: true, create: true });
  let locked = false;
  try {
    locked = await file.tryLock(true);
    if (!locked) {
      const pid = (await Deno.readTextFile(path).catch(() => "")).trim();
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
