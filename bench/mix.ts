/** The event mix of the benchmarks' producers (Kafka, embedded) and of the machine reference. */
import type { StreamName } from "../lib/stream/topics.ts";

/** Per 100 events: 82 clicks, 16 stock moves, 2 competitor prices. */
const MIX: [StreamName, number][] = [["clickstream", 82], ["inventory", 16], [
  "competitor",
  2,
]];

/** The stream of the `i`-th event of the mix. */
export function pick(i: number): StreamName {
  const r = i % 100;
  return r < MIX[0]![1]
    ? "clickstream"
    : r < MIX[0]![1] + MIX[1]![1]
    ? "inventory"
    : "competitor";
}
