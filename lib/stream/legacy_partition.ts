/**
 * Upgrades a partition stored in the embedded log's first format, one file
 * `<topic>/<p>.log` of frames without checksums:
 *
 *   u32 key length (0xffffffff = null) | u32 value length | f64 timestamp | key | value
 *
 * into the segment folder `<topic>/<p>/` with the same offsets. The records
 * go to `<p>.converting/` first, which is renamed into place once durable;
 * only then is the old file removed, so a crash at any point loses nothing
 * and the next start finishes or redoes the conversion.
 */
import type { Entry } from "./record_frame.ts";
import { readAt, syncDir } from "./file_io.ts";
import { logger } from "../log.ts";

const log = logger("log");
const HEADER = 16;
const NULL_KEY = 0xffffffff;
const CHUNK = 1024 * 1024;
const BATCH = 1000;
const dec = new TextDecoder();

/** Which partition: `dir` is its new segment folder. */
export interface LegacyTarget {
  topic: string;
  partition: number;
  dir: string;
}

/**
 * Converts `<dir>.log` into `dir` when present. `write` stores the batches
 * durably into a new folder and returns the record count.
 */
export async function migrateLegacyPartition(
  target: LegacyTarget,
  write: (dir: string, batches: Iterable<Entry[]>) => Promise<number>,
): Promise<void> {
  const legacy = `${target.dir}.log`;
  if (!(await isFile(legacy))) return;
  if (await exists(target.dir)) {
    // A crash came after the rename, before the old file was removed.
    await Deno.remove(legacy);
    return;
  }
  const tmp = `${target.dir}.converting`;
  await Deno.remove(tmp, { recursive: true }).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  });
  const torn = { bytes: 0 };
  const records = await write(tmp, legacyBatches(legacy, torn));
  const parent = target.dir.slice(0, target.dir.lastIndexOf("/")) || ".";
  await Deno.rename(tmp, target.dir);
  syncDir(parent);
  await Deno.remove(legacy);
  syncDir(parent);
  log.info("converted a partition from the single-file format", {
    topic: target.topic,
    partition: target.partition,
    records,
    torn_bytes_dropped: torn.bytes,
  });
}

/**
 * Reads the old file in batches through a bounded buffer, stopping at a torn
 * last frame as the old format's own recovery did (its size lands in `torn`).
 */
export function* legacyBatches(
  path: string,
  torn: { bytes: number },
): Generator<Entry[]> {
  const file = Deno.openSync(path, { read: true });
  try {
    const size = file.statSync().size;
    let buf: Uint8Array = new Uint8Array(0);
    let bufPos = 0;
    let at = 0;
    const batch: Entry[] = [];
    while (true) {
      const need = frameSize(buf, at);
      if (need !== null && at + need <= buf.length) {
        batch.push(decodeLegacy(buf, at, need));
        at += need;
        if (batch.length === BATCH) yield batch.splice(0);
        continue;
      }
      const framePos = bufPos + at;
      if (framePos + (need ?? HEADER) > size) {
        torn.bytes = size - framePos;
        break;
      }
      const want = Math.max(CHUNK, need ?? HEADER);
      buf = readAt(file, framePos, Math.min(size - framePos, want));
      bufPos = framePos;
      at = 0;
      if (buf.length < (need ?? HEADER)) {
        // The file shrank under us: what is missing is a torn frame.
        torn.bytes = size - framePos;
        break;
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    file.close();
  }
}

/** The whole frame's size at `at`, or null when its header is not in `buf`. */
function frameSize(buf: Uint8Array, at: number): number | null {
  if (at + HEADER > buf.length) return null;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const kl = view.getUint32(at);
  return HEADER + (kl === NULL_KEY ? 0 : kl) + view.getUint32(at + 4);
}

function decodeLegacy(buf: Uint8Array, at: number, size: number): Entry {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const kl = view.getUint32(at);
  const keyEnd = at + HEADER + (kl === NULL_KEY ? 0 : kl);
  return {
    key: kl === NULL_KEY ? null : dec.decode(buf.subarray(at + HEADER, keyEnd)),
    value: buf.slice(keyEnd, at + size),
    timestamp: view.getFloat64(at + 8),
  };
}

async function isFile(path: string): Promise<boolean> {
  return (await Deno.stat(path).catch(() => null))?.isFile ?? false;
}

async function exists(path: string): Promise<boolean> {
  return (await Deno.stat(path).catch(() => null)) !== null;
}
