/**
 * kafkajs 2.2.4's record and record-batch encoders of its producer (the
 * v2 record format), rewritten to write each byte once.
 *
 * kafkajs encodes a record into a fresh zero-filled 512-byte buffer of its
 * own (an ArrayBuffer per record), copies the records into a batch body that
 * grows by doubling, copies the body behind its header, and copies that into
 * a third buffer behind the batch's offset and length. In a CPU profile of the
 * benchmark's producer, creating those buffers took 8.5 % of the process and
 * copying them 3 %.
 *
 * Here a record takes a buffer of its exact size from Node's buffer pool, and
 * a batch is one buffer of its exact size, checksummed in place. Both are
 * still kafkajs `Encoder`s, so the rest of its produce request takes them as
 * before. Records with headers, and compressed batches, go to kafkajs's own
 * code. lib/stream/kafka_preload_test.ts checks, as properties, that both
 * write exactly the bytes kafkajs writes.
 */
import { Buffer } from "node:buffer";
import { crc32c } from "./crc32c.ts";

/** What of kafkajs's encoder these functions use. */
export interface Encoder {
  buf: Buffer;
  offset: number;
  writeInt8(v: number): Encoder;
  writeInt16(v: number): Encoder;
  writeInt32(v: number): Encoder;
  writeInt64(v: unknown): Encoder;
  writeVarInt(v: number): Encoder;
  writeVarLong(v: unknown): Encoder;
  size(): number;
  readonly buffer: Buffer;
}

/** kafkajs's Encoder class (its statics that size varints). */
export interface EncoderClass {
  new (): Encoder;
  prototype: Encoder;
  sizeOfVarInt(v: number): number;
  sizeOfVarLong(v: unknown): number;
}

/** What kafkajs's produce request passes to the record encoder. */
export interface RecordArgs {
  offsetDelta?: number;
  timestampDelta?: unknown;
  key?: unknown;
  value?: unknown;
  headers?: Record<string, unknown>;
}

/** What it passes to the batch encoder. */
export interface BatchArgs {
  compression?: number;
  firstOffset?: unknown;
  firstTimestamp?: unknown;
  maxTimestamp?: unknown;
  partitionLeaderEpoch?: number;
  lastOffsetDelta?: number;
  transactional?: boolean;
  producerId?: unknown;
  producerEpoch?: number;
  firstSequence?: number;
  records?: unknown[];
}

type RecordFn = (a: RecordArgs) => Encoder;
type BatchFn = (a: BatchArgs) => Promise<Encoder>;

const MAGIC_BYTE = 2;
const TRANSACTIONAL = 16;
/** The batch body before its records: attributes to the record count. */
const BODY_HEAD = 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;
/** firstOffset, length, partitionLeaderEpoch, magic, CRC. */
const BATCH_HEAD = 8 + 4 + 4 + 1 + 4;

/**
 * kafkajs's (patched) varint writer asks for 5 bytes of room whatever it
 * writes; without them it would reallocate.
 */
const SLACK = 5;

/** An encoder over `size` bytes of Node's pool (uninitialised: every byte is written). */
function exact(E: EncoderClass, size: number): Encoder {
  const e = Object.create(E.prototype) as Encoder;
  e.buf = Buffer.allocUnsafe(size + SLACK);
  e.offset = 0;
  return e;
}

/** Byte length of a key or value as kafkajs writes it (-1 for null); undefined when kafkajs would take another path. */
function lengthOf(v: unknown): number | undefined {
  if (v == null) return -1;
  if (typeof v === "string") return Buffer.byteLength(v);
  if (Buffer.isBuffer(v)) return v.length;
  return undefined;
}

function writeBytes(e: Encoder, v: unknown, length: number): void {
  e.writeVarInt(length);
  if (length < 0) return;
  if (typeof v === "string") e.buf.write(v, e.offset, length, "utf8");
  else (v as Buffer).copy(e.buf, e.offset);
  e.offset += length;
}

/** kafkajs's record encoder, writing into one buffer of the record's size. */
export function recordEncoder(E: EncoderClass, original: RecordFn): RecordFn {
  return (args) => {
    const { offsetDelta = 0, timestampDelta = 0, key, value, headers } = args;
    const keyLength = lengthOf(key), valueLength = lengthOf(value);
    if (
      keyLength === undefined || valueLength === undefined ||
      (headers != null && Object.keys(headers).length > 0)
    ) {
      return original(args);
    }
    const body = 1 + E.sizeOfVarLong(timestampDelta) +
      E.sizeOfVarInt(offsetDelta) +
      E.sizeOfVarInt(keyLength) + Math.max(keyLength, 0) +
      E.sizeOfVarInt(valueLength) + Math.max(valueLength, 0) +
      1; // no headers: a varint 0
    const e = exact(E, E.sizeOfVarInt(body) + body)
      .writeVarInt(body)
      .writeInt8(0)
      .writeVarLong(timestampDelta)
      .writeVarInt(offsetDelta);
    writeBytes(e, key, keyLength);
    writeBytes(e, value, valueLength);
    return e.writeVarInt(0);
  };
}

/** kafkajs's record-batch encoder, writing one buffer of the batch's size. */
export function batchEncoder(
  E: EncoderClass,
  original: BatchFn,
  defaults: { firstOffset: () => unknown; producerId: () => unknown },
): BatchFn {
  return (args) => {
    const {
      compression = 0,
      firstOffset = defaults.firstOffset(),
      firstTimestamp = Date.now(),
      maxTimestamp = Date.now(),
      partitionLeaderEpoch = 0,
      lastOffsetDelta = 0,
      transactional = false,
      producerId = defaults.producerId(),
      producerEpoch = 0,
      firstSequence = 0,
      records = [],
    } = args;
    if (
      compression !== 0 || records.length === 0 ||
      !records.every((r) => Buffer.isBuffer((r as Encoder | null)?.buf))
    ) {
      return original(args);
    }
    const encoders = records as Encoder[];
    let body = BODY_HEAD;
    for (const r of encoders) body += r.offset;
    const e = exact(E, BATCH_HEAD + body)
      .writeInt64(firstOffset)
      .writeInt32(4 + 1 + 4 + body)
      .writeInt32(partitionLeaderEpoch)
      .writeInt8(MAGIC_BYTE);
    const crcAt = e.offset;
    const start = crcAt + 4;
    e.offset = start;
    e.writeInt16(transactional ? TRANSACTIONAL : 0)
      .writeInt32(lastOffsetDelta)
      .writeInt64(firstTimestamp)
      .writeInt64(maxTimestamp)
      .writeInt64(producerId)
      .writeInt16(producerEpoch)
      .writeInt32(firstSequence)
      .writeInt32(encoders.length);
    for (const r of encoders) {
      r.buf.copy(e.buf, e.offset, 0, r.offset);
      e.offset += r.offset;
    }
    e.buf.writeUInt32BE(crc32c(e.buf.subarray(start, e.offset)), crcAt);
    return Promise.resolve(e);
  };
}
