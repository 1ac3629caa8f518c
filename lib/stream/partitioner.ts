/**
 * Kafka's default partitioner (murmur2 of the key bytes), so a product lands
 * on the same partition in the embedded log as on a real broker.
 */

const enc = new TextEncoder();

/** Kafka's murmur2 hash of the first `len` bytes of `data` (as in the Java client and kafkajs). */
export function murmur2(data: Uint8Array, len: number = data.length): number {
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ len) | 0;
  const len4 = len >> 2;
  for (let i = 0; i < len4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) | ((data[i4 + 1]! & 0xff) << 8) |
      ((data[i4 + 2]! & 0xff) << 16) |
      ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const rest = len & 3;
  const base = len & ~3;
  if (rest === 3) h ^= (data[base + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[base + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[base]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

let roundRobin = 0;

/** Partition for `key` among `count` partitions; keyless messages go round-robin. */
export function partitionFor(key: string | null, count: number): number {
  if (key === null) return roundRobin++ % count;
  return (murmur2(enc.encode(key)) & 0x7fffffff) % count;
}
