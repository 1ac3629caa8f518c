/**
 * Faster varints for kafkajs 2.2.4's record codec, applied once when the
 * Kafka adapter loads (as kafka_guard.ts is). Every record a producer sends
 * carries four varints and one varlong, and kafkajs writes each through
 * `Buffer.from([...bytes])` plus a copy, and each varlong through a dozen
 * BigInt-backed `Long` operations: in a CPU profile of the benchmark's
 * producer, building those small buffers took 13 % of the process and the
 * `Long` arithmetic 3 %. On the consumer side every record's timestamp delta
 * is read through the same `Long` arithmetic.
 *
 * The replacements write the same bytes straight into the encoder's buffer,
 * and do varlongs with plain numbers whenever the value is a safe integer
 * (timestamp deltas are milliseconds within one batch); anything else goes
 * to kafkajs's own code. lib/stream/kafka_codec_test.ts checks, as
 * properties, that they write and read exactly what the originals do.
 */
import EncoderJs from "kafkajs/src/protocol/encoder.js";
import DecoderJs from "kafkajs/src/protocol/decoder.js";
import LongJs from "kafkajs/src/utils/long.js";

/** What of kafkajs's (untyped) encoder this file touches. */
export interface KafkaEncoder {
  buf: Uint8Array;
  offset: number;
  ensureAvailable(length: number): void;
  writeUVarInt(value: number): KafkaEncoder;
  writeVarInt(value: number): KafkaEncoder;
  writeVarLong(value: unknown): KafkaEncoder;
  readonly buffer: Uint8Array;
}

/** What of kafkajs's decoder this file touches. */
export interface KafkaDecoder {
  buffer: Uint8Array;
  offset: number;
  readVarLong(): KafkaLong;
}

/** kafkajs's 64-bit integer: a BigInt in a box. */
export interface KafkaLong {
  value: bigint;
  toString(): string;
}

const Encoder = EncoderJs as unknown as {
  new (): KafkaEncoder;
  prototype: KafkaEncoder;
  sizeOfVarLong(value: unknown): number;
};
const Decoder = DecoderJs as unknown as {
  new (buffer: Uint8Array): KafkaDecoder;
  prototype: KafkaDecoder;
};
const Long = LongJs as unknown as {
  fromNumber(n: number): KafkaLong;
  fromValue(v: unknown): KafkaLong & { add(n: number): KafkaLong };
  fromString(s: string): KafkaLong;
};

/** The largest zig-zag value done with numbers: 7 varint bytes, exact in a double. */
const FAST_LIMIT = 2 ** 49;

const enc = Encoder.prototype, dec = Decoder.prototype;

/** kafkajs's own methods, kept for the equivalence tests and the slow cases. */
export const original = {
  writeUVarInt: enc.writeUVarInt,
  writeVarLong: enc.writeVarLong,
  sizeOfVarLong: Encoder.sizeOfVarLong,
  readVarLong: dec.readVarLong,
  fromString: Long.fromString,
};

/** Zig-zag of a safe integer below 2^48 in magnitude, or -1 when it is not one. */
function zigZag(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) return -1;
  const z = value >= 0 ? value * 2 : -value * 2 - 1;
  return z < FAST_LIMIT ? z : -1;
}

function writeUVarInt(this: KafkaEncoder, value: number): KafkaEncoder {
  this.ensureAvailable(5);
  const buf = this.buf;
  let at = this.offset;
  // The same loop as kafkajs's, on the 32 bits `&` and `>>>` see.
  while ((value & 0xffffff80) !== 0) {
    buf[at++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buf[at++] = value & 0x7f;
  this.offset = at;
  return this;
}

function writeVarLong(this: KafkaEncoder, value: unknown): KafkaEncoder {
  let z = zigZag(value);
  if (z < 0) return original.writeVarLong.call(this, value);
  this.ensureAvailable(7);
  const buf = this.buf;
  let at = this.offset;
  while (z >= 0x80) {
    buf[at++] = (z % 0x80) | 0x80;
    z = Math.floor(z / 0x80);
  }
  buf[at++] = z;
  this.offset = at;
  return this;
}

function sizeOfVarLong(value: unknown): number {
  let z = zigZag(value);
  if (z < 0) return original.sizeOfVarLong.call(Encoder, value);
  let bytes = 1;
  while (z >= 0x80) {
    bytes++;
    z = Math.floor(z / 0x80);
  }
  return bytes;
}

function readVarLong(this: KafkaDecoder): KafkaLong {
  const buf = this.buffer;
  const start = this.offset;
  let z = 0, scale = 1, at = start;
  for (let i = 0; i < 7; i++) {
    const b = buf[at++];
    if (b === undefined) break; // past the end: kafkajs's own error
    z += (b & 0x7f) * scale;
    if (b < 0x80) {
      this.offset = at;
      return Long.fromNumber(z % 2 === 0 ? z / 2 : -(z + 1) / 2);
    }
    scale *= 0x80;
  }
  // Eight bytes or more (or a truncated buffer): kafkajs reads it.
  this.offset = start;
  return original.readVarLong.call(this);
}

/**
 * The last two strings made into a Long, and their Longs. Reading a record
 * batch makes every record's offset and timestamp from the batch's first
 * offset and first timestamp, each a decimal string parsed into a BigInt
 * again per record; kafkajs never changes a Long once made, so one can serve
 * them all.
 */
const recent: { s: string; l: KafkaLong }[] = [];

function fromString(this: unknown, s: string): KafkaLong {
  for (const r of recent) if (r.s === s) return r.l;
  const l = original.fromString.call(this, s);
  recent.unshift({ s, l });
  if (recent.length > 2) recent.pop();
  return l;
}

enc.writeUVarInt = writeUVarInt;
enc.writeVarLong = writeVarLong;
Encoder.sizeOfVarLong = sizeOfVarLong;
dec.readVarLong = readVarLong;
Long.fromString = fromString;

/** kafkajs's encoder, decoder and Long classes (for the tests). */
export { Decoder, Encoder, Long };
