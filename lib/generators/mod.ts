/**
 * The shop simulator: decides when each stream's next event is due and
 * produces it. At rate 1: clickstream 5–15 events/s, inventory 1–3/s,
 * competitor prices one every 2–5 s; `rate` multiplies all three.
 */
import type { EventOf } from "../events/schema.ts";
import type { StreamName } from "../stream/topics.ts";
import { Rng } from "../rng.ts";
import { ClickstreamGenerator } from "./clickstream.ts";
import { nextInventory } from "./inventory.ts";
import { nextCompetitor } from "./competitor.ts";

/** Seconds between events, drawn per event, at rate 1. */
const GAP_S: Record<StreamName, (rng: Rng) => number> = {
  clickstream: (rng) => 1 / rng.range(5, 15),
  inventory: (rng) => 1 / rng.range(1, 3),
  competitor: (rng) => rng.range(2, 5),
};

export type Emitted = {
  [S in StreamName]: { stream: S; event: EventOf[S] };
}[StreamName];

export class ShopSimulator {
  /** One source per stream, so each stream's sequence depends only on the seed, not on timing. */
  #rng: Record<StreamName, Rng>;
  #gaps: Rng;
  #click: ClickstreamGenerator;
  #due: Record<StreamName, number>;

  constructor(
    opts: { seed?: string; users?: number; rate?: number; start?: number },
  ) {
    const rng = (name: string) =>
      new Rng(opts.seed ? `${opts.seed}:${name}` : undefined);
    this.#rng = {
      clickstream: rng("clickstream"),
      inventory: rng("inventory"),
      competitor: rng("competitor"),
    };
    this.#gaps = rng("gaps");
    this.#click = new ClickstreamGenerator(
      this.#rng.clickstream,
      opts.users ?? 50,
    );
    this.rate = opts.rate ?? 1;
    const t = opts.start ?? Date.now();
    this.#due = { clickstream: t, inventory: t, competitor: t };
  }

  rate: number;

  /** One event of `stream` at time `now`. */
  make<S extends StreamName>(stream: S, now: number): EventOf[S] {
    switch (stream) {
      case "clickstream":
        return this.#click.next(now) as EventOf[S];
      case "inventory":
        return nextInventory(this.#rng.inventory, now) as EventOf[S];
      default:
        return nextCompetitor(this.#rng.competitor, now) as EventOf[S];
    }
  }

  /** Every event due up to `now` (at most `max`), in time order per stream. */
  due(now: number, max = 100_000): Emitted[] {
    const out: Emitted[] = [];
    for (const stream of ["clickstream", "inventory", "competitor"] as const) {
      // After a long stall, skip ahead instead of bursting more than 5 s of traffic.
      this.#due[stream] = Math.max(this.#due[stream], now - 5000);
      while (this.#due[stream] <= now && out.length < max) {
        out.push({ stream, event: this.make(stream, now) } as Emitted);
        this.#due[stream] += (GAP_S[stream](this.#gaps) * 1000) / this.rate;
      }
    }
    return out;
  }
}
