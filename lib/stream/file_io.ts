/** Small synchronous file helpers shared by the embedded log's segment code. */

/** Makes the creation or removal of files in `dir` durable. */
export function syncDir(dir: string): void {
  const f = Deno.openSync(dir, { read: true });
  try {
    f.syncSync();
  } finally {
    f.close();
  }
}

/** Reads `length` bytes at `pos`, fewer where the file ends first. */
export function readAt(
  file: Deno.FsFile,
  pos: number,
  length: number,
): Uint8Array {
  const buf = new Uint8Array(length);
  file.seekSync(pos, Deno.SeekMode.Start);
  let got = 0;
  while (got < length) {
    const n = file.readSync(buf.subarray(got));
    if (n === null || n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** Writes all of `bytes` at the file position. */
export function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) {
    written += file.writeSync(bytes.subarray(written));
  }
}

/** The file's bytes, or null when it does not exist. */
export function readIfExists(path: string): Uint8Array | null {
  try {
    return Deno.readFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}
