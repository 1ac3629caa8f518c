/**
 * The on-disk frame of one record of the embedded log:
 *
 *   u32 body length | u32 CRC-32C of the body | body
 *   body = u32 offset high | u32 offset low | f64 timestamp
 *          | u32 key length (0xffffffff = null key) | key | value
 *
 * Big-endian, like Kafka. The record's own offset is stored so a reader that
 * lands on the wrong frame (a stale index entry, a misplaced file) finds out
 * instead of returning someone else's record.
 */
import { crc32c } from "./crc32c.ts";

/** Length and checksum. */
export const FRAME_HEADER = 8;
/** Offset, timestamp and key length. */
export const BODY_HEADER = 20;
const NULL_KEY = 0xffffffff;
const TWO_32 = 2 ** 32;
/** Read size of a scan; a bigger frame gets a buffer of its own size. */
const CHUNK = 64 * 1024;
const enc = new TextEncoder();
const dec = new TextDecoder();

/** A record as the log stores it (its offset is its position). */
export interface Entry {
  key: string | null;
  value: Uint8Array;
  timestamp: number;
}

/** What {@linkcode checkFrame} found at a position. */
export type FrameCheck =
  | { ok: true; offset: number; size: number }
  | { ok: false; incomplete: boolean; reason: string };

/**
 * Encodes `entries` as consecutive frames numbered from `firstOffset`, in one
 * buffer; `starts[i]` is where frame i begins in it.
 */
export function encodeFrames(
  entries: readonly Entry[],
  firstOffset: number,
): { bytes: Uint8Array; starts: number[] } {
  const keys = entries.map((e) => e.key === null ? null : enc.encode(e.key));
  const starts: number[] = [];
  let total = 0;
  for (let i = 0; i < entries.length; i++) {
    starts.push(total);
    total += FRAME_HEADER + BODY_HEADER + (keys[i]?.length ?? 0) +
      entries[i]!.value.length;
  }
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < entries.length; i++) {
    const at = starts[i]!;
    const key = keys[i]!;
    const value = entries[i]!.value;
    const body = at + FRAME_HEADER;
    const offset = firstOffset + i;
    view.setUint32(body, Math.floor(offset / TWO_32));
    view.setUint32(body + 4, offset >>> 0);
    view.setFloat64(body + 8, entries[i]!.timestamp);
    view.setUint32(body + 16, key === null ? NULL_KEY : key.length);
    if (key) bytes.set(key, body + BODY_HEADER);
    bytes.set(value, body + BODY_HEADER + (key?.length ?? 0));
    const end = starts[i + 1] ?? total;
    view.setUint32(at, end - body);
    view.setUint32(at + 4, crc32c(bytes.subarray(body, end)));
  }
  return { bytes, starts };
}

/**
 * Checks the frame at `at` in `buf`: complete, checksum right, key length
 * inside the body. `incomplete` means `buf` ends before the frame does.
 */
export function checkFrame(buf: Uint8Array, at: number): FrameCheck {
  if (at + FRAME_HEADER > buf.length) {
    return { ok: false, incomplete: true, reason: "the frame header is cut" };
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const length = view.getUint32(at);
  if (length < BODY_HEADER) {
    return {
      ok: false,
      incomplete: false,
      reason: `its length ${length} is shorter than a record header`,
    };
  }
  const body = at + FRAME_HEADER;
  if (body + length > buf.length) {
    return { ok: false, incomplete: true, reason: "the frame is cut" };
  }
  if (crc32c(buf.subarray(body, body + length)) !== view.getUint32(at + 4)) {
    return { ok: false, incomplete: false, reason: "it fails its checksum" };
  }
  const keyLength = view.getUint32(body + 16);
  if (keyLength !== NULL_KEY && keyLength > length - BODY_HEADER) {
    return {
      ok: false,
      incomplete: false,
      reason: `its key length ${keyLength} exceeds the frame`,
    };
  }
  const offset = view.getUint32(body) * TWO_32 + view.getUint32(body + 4);
  return { ok: true, offset, size: FRAME_HEADER + length };
}

/** Decodes the frame at `at`, which {@linkcode checkFrame} has accepted. */
export function decodeFrame(buf: Uint8Array, at: number): Entry {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const end = at + FRAME_HEADER + view.getUint32(at);
  const body = at + FRAME_HEADER;
  const timestamp = view.getFloat64(body + 8);
  const keyLength = view.getUint32(body + 16);
  const keyEnd = body + BODY_HEADER +
    (keyLength === NULL_KEY ? 0 : keyLength);
  const key = keyLength === NULL_KEY
    ? null
    : dec.decode(buf.subarray(body + BODY_HEADER, keyEnd));
  // A copy, so a record kept by a consumer does not pin the whole read buffer.
  return { key, value: buf.slice(keyEnd, end), timestamp };
}

/** Called by {@linkcode scanFrames} per good frame; false stops the scan there. */
export type FrameVisit = (
  buf: Uint8Array,
  at: number,
  offset: number,
  pos: number,
) => boolean;

/** Where a scan stopped: the end, a visit that said stop, or a bad frame (`problem`). */
export interface ScanStop {
  pos: number;
  problem?: string;
}

/**
 * Walks the frames from byte `pos` to byte `end` through a bounded buffer,
 * calling `visit` on each whole frame whose checksum holds until it returns
 * false. Returns where it stopped and, at a bad frame, why.
 */
export function scanFrames(
  read: (pos: number, length: number) => Uint8Array,
  pos: number,
  end: number,
  visit: FrameVisit,
): ScanStop {
  let buf: Uint8Array = new Uint8Array(0);
  let bufPos = pos;
  let at = 0;
  while (bufPos + at < end) {
    const check = checkFrame(buf, at);
    if (check.ok) {
      if (!visit(buf, at, check.offset, bufPos + at)) {
        return { pos: bufPos + at };
      }
      at += check.size;
      continue;
    }
    const framePos = bufPos + at;
    const need = neededBytes(buf, at);
    if (
      !check.incomplete || framePos + need > end || bufPos + buf.length >= end
    ) {
      return { pos: framePos, problem: check.reason };
    }
    buf = read(
      framePos,
      Math.min(end - framePos, Math.max(CHUNK, need)),
    );
    bufPos = framePos;
    at = 0;
    // The file is shorter than we were told: what is missing is a cut frame.
    if (buf.length < need) {
      return { pos: framePos, problem: "the frame is cut" };
    }
  }
  return { pos: bufPos + at };
}

/** Bytes the frame at `at` needs, as far as its header tells. */
function neededBytes(buf: Uint8Array, at: number): number {
  if (at + 4 > buf.length) return 8;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return 8 + view.getUint32(at);
}
