/**
 * CRC-32C (Castagnoli), the checksum Kafka, ext4 and iSCSI use, computed with
 * lookup tables. Slicing-by-8 (eight tables, eight bytes per step) makes it
 * several times faster than the one-table loop in V8, which matters because
 * every record of the embedded log is checked on write, read and recovery.
 */

/** The reflected Castagnoli polynomial. */
const POLY = 0x82f63b78;

const TABLES = buildTables();

function buildTables(): Uint32Array[] {
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t0[n] = c >>> 0;
  }
  const tables = [t0];
  for (let i = 1; i < 8; i++) {
    const prev = tables[i - 1]!;
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      t[n] = (prev[n]! >>> 8) ^ t0[prev[n]! & 0xff]!;
    }
    tables.push(t);
  }
  return tables;
}

const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];

/**
 * The CRC-32C of `bytes` as an unsigned 32-bit number. Pass a previous result
 * as `crc` to continue a checksum over several pieces.
 */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  let i = 0;
  const n = bytes.length;
  for (; i + 8 <= n; i += 8) {
    const a = (c ^ (bytes[i]! | bytes[i + 1]! << 8 | bytes[i + 2]! << 16 |
      bytes[i + 3]! << 24)) >>> 0;
    c = T7[a & 0xff]! ^ T6[(a >>> 8) & 0xff]! ^ T5[(a >>> 16) & 0xff]! ^
      T4[a >>> 24]! ^ T3[bytes[i + 4]!]! ^ T2[bytes[i + 5]!]! ^
      T1[bytes[i + 6]!]! ^ T0[bytes[i + 7]!]!;
  }
  for (; i < n; i++) c = T0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
