/**
 * Competitor pricing as behaviours, not noise. Each competitor re-prices each
 * product at its own cadence (seeded phase) by its behaviour, kept inside its
 * own band around list price (its costs below, its customers above); on top of
 * that it sometimes runs a promotion or is out of stock (not listed: no price,
 * no observation, not in the reference). Time is always passed in.
 *
 * The default mix, with small moves, is what a mid-size electronics shop
 * faces: a big-box store that sells at list with rare promotions, a discounter
 * whose bot undercuts us by 2% four times a day, and a shop that matches our
 * price a day later.
 */
import { type Competitor, type Product, PRODUCTS } from "../catalog.ts";
import { Rng } from "../rng.ts";
import { HOUR_MS } from "../time.ts";

export type Behaviour =
  /** Holds `ratio` × list. */
  | { kind: "static"; ratio: number }
  /** Prices at the cheapest other offer (ours included) × (1 + premium). */
  | { kind: "follow-cheapest"; premium: number }
  /** Prices `by` (0.02 = 2%) below the leader: us, or a named competitor. */
  | { kind: "undercut-leader"; leader: "us" | Competitor; by: number }
  /** Prices at our price of `delayHours` ago. */
  | { kind: "match-us"; delayHours: number };

/** Rare episodes per product: starts are a Poisson process, lengths uniform in `hours`. */
export interface Episodes {
  meanGapDays: number;
  hours: readonly [number, number];
}

export interface CompetitorSpec {
  name: Competitor;
  behaviour: Behaviour;
  /** How often it re-prices each product. */
  cadenceHours: number;
  /** Its own floor and ceiling for the regular price, as ratios of list price. */
  band: readonly [number, number];
  /** Its price at the start, as a ratio of list price. */
  startRatio: number;
  /** Discount episodes; `depth` is the discount range (0.10 = 10% off). */
  promotions?: Episodes & { depth: readonly [number, number] };
  /** Withdrawn (out of stock) episodes. */
  outOfStock?: Episodes;
}

/** The documented default mix. */
export const DEFAULT_COMPETITORS: readonly CompetitorSpec[] = [{
  name: "TechMart",
  behaviour: { kind: "static", ratio: 1 },
  cadenceHours: 24,
  band: [0.9, 1.1],
  startRatio: 1,
  promotions: { meanGapDays: 21, hours: [4, 24], depth: [0.1, 0.2] },
  outOfStock: { meanGapDays: 45, hours: [12, 72] },
}, {
  name: "GadgetZone",
  behaviour: { kind: "undercut-leader", leader: "us", by: 0.02 },
  cadenceHours: 6,
  band: [0.85, 1.08],
  startRatio: 0.98,
  outOfStock: { meanGapDays: 20, hours: [6, 48] },
}, {
  name: "ElectroHub",
  behaviour: { kind: "match-us", delayHours: 24 },
  cadenceHours: 8,
  band: [0.9, 1.1],
  startRatio: 1,
  promotions: { meanGapDays: 45, hours: [4, 12], depth: [0.1, 0.15] },
  outOfStock: { meanGapDays: 30, hours: [12, 48] },
}];

/** A listed price that changed, or a product withdrawn (`price` null). */
export interface PriceChange {
  competitor: Competitor;
  productId: string;
  price: number | null;
  at: number;
}

interface Slot {
  spec: CompetitorSpec;
  product: Product;
  rng: Rng;
  base: number;
  nextReprice: number;
  promo: { until: number; depth: number } | null;
  nextPromo: number;
  outUntil: number | null;
  nextOut: number;
  /** The listed price last reported, null when withdrawn. */
  shown: number | null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Our prices over time, so a matcher can look back. */
class OurPrices {
  readonly #history = new Map<string, { at: number; price: number }[]>();
  constructor(private readonly keepMs: number) {}

  note(productId: string, price: number, at: number): void {
    const h = this.#history.get(productId) ?? [];
    if (h.length && h[h.length - 1]!.price === price) return;
    h.push({ at, price });
    // Keep the newest entry older than the longest look-back.
    while (h.length > 1 && h[1]!.at <= at - this.keepMs) h.shift();
    this.#history.set(productId, h);
  }

  at(productId: string, t: number, fallback: number): number {
    const h = this.#history.get(productId) ?? [];
    let price = h[0]?.price ?? fallback;
    for (const e of h) if (e.at <= t) price = e.price;
    return price;
  }
}

export class CompetitorField {
  readonly #slots: Slot[] = [];
  readonly #byProduct = new Map<string, Slot[]>();
  readonly #ours: OurPrices;

  /** `specs` default to the documented mix; the same `seed` gives the same moves. */
  constructor(
    opts: {
      seed: string;
      start: number;
      specs?: readonly CompetitorSpec[];
      products?: readonly Product[];
    },
  ) {
    const specs = opts.specs ?? DEFAULT_COMPETITORS;
    const delays = specs.map((s) =>
      s.behaviour.kind === "match-us" ? s.behaviour.delayHours : 0
    );
    this.#ours = new OurPrices((Math.max(0, ...delays) + 1) * HOUR_MS);
    for (const spec of specs) {
      const rng = new Rng(`${opts.seed}:competitor:${spec.name}`);
      for (const product of opts.products ?? PRODUCTS) {
        const slot = this.#slot(spec, product, rng, opts.start);
        this.#slots.push(slot);
        const list = this.#byProduct.get(product.id) ?? [];
        this.#byProduct.set(product.id, [...list, slot]);
      }
    }
  }

  #slot(spec: CompetitorSpec, product: Product, rng: Rng, start: number) {
    const base = round2(product.basePrice * spec.startRatio);
    return {
      spec,
      product,
      rng,
      base,
      // Seeded phase, so a competitor does not re-price its whole range at once.
      nextReprice: start + rng.next() * spec.cadenceHours * HOUR_MS,
      promo: null,
      nextPromo: start + gap(rng, spec.promotions),
      outUntil: null,
      nextOut: start + gap(rng, spec.outOfStock),
      shown: base,
    };
  }

  /**
   * Advances every competitor to `now`: episodes that started or ended, and
   * re-pricing that fell due, given our current prices. Returns what changed.
   */
  advance(now: number, ours: (productId: string) => number): PriceChange[] {
    for (const [id] of this.#byProduct) this.#ours.note(id, ours(id), now);
    const changes: PriceChange[] = [];
    for (const s of this.#slots) {
      this.#episodes(s, now);
      if (now >= s.nextReprice) {
        s.base = this.#target(s, now, ours);
        const cadence = s.spec.cadenceHours * HOUR_MS;
        s.nextReprice += Math.ceil((now - s.nextReprice + 1) / cadence) *
          cadence;
      }
      const shown = listed(s, now);
      if (shown !== s.shown) {
        s.shown = shown;
        changes.push({
          competitor: s.spec.name,
          productId: s.product.id,
          price: shown,
          at: now,
        });
      }
    }
    return changes;
  }

  #episodes(s: Slot, now: number): void {
    const { promotions, outOfStock } = s.spec;
    if (s.promo && now >= s.promo.until) s.promo = null;
    if (promotions && !s.promo && now >= s.nextPromo) {
      const until = s.nextPromo + s.rng.range(...promotions.hours) * HOUR_MS;
      s.promo = { until, depth: s.rng.range(...promotions.depth) };
      s.nextPromo = until + gap(s.rng, promotions);
      if (now >= until) s.promo = null; // the whole episode fell inside one step
    }
    if (s.outUntil !== null && now >= s.outUntil) s.outUntil = null;
    if (outOfStock && s.outUntil === null && now >= s.nextOut) {
      const until = s.nextOut + s.rng.range(...outOfStock.hours) * HOUR_MS;
      s.outUntil = now >= until ? null : until;
      s.nextOut = until + gap(s.rng, outOfStock);
    }
  }

  /** The regular price the behaviour asks for, inside the band. */
  #target(s: Slot, now: number, ours: (id: string) => number): number {
    const b = s.spec.behaviour;
    const list = s.product.basePrice;
    const id = s.product.id;
    let price: number;
    if (b.kind === "static") price = list * b.ratio;
    else if (b.kind === "match-us") {
      price = this.#ours.at(id, now - b.delayHours * HOUR_MS, ours(id));
    } else if (b.kind === "follow-cheapest") {
      const others = this.offers(id).filter((o) => o.competitor !== s.spec.name)
        .map((o) => o.price);
      price = Math.min(ours(id), ...others) * (1 + b.premium);
    } else {
      const leader = b.leader === "us"
        ? ours(id)
        : this.priceOf(b.leader, id) ?? s.base;
      price = leader * (1 - b.by);
    }
    const [lo, hi] = s.spec.band;
    return round2(Math.min(hi * list, Math.max(lo * list, price)));
  }

  /** The listed price of `competitor` for `productId`, undefined while withdrawn. */
  priceOf(competitor: string, productId: string): number | undefined {
    const s = this.#byProduct.get(productId)?.find((x) =>
      x.spec.name === competitor
    );
    return s?.shown ?? undefined;
  }

  /** Every competitor currently listing `productId`, with its price. */
  offers(productId: string): { competitor: Competitor; price: number }[] {
    return (this.#byProduct.get(productId) ?? []).flatMap((s) =>
      s.shown === null ? [] : [{ competitor: s.spec.name, price: s.shown }]
    );
  }

  /** The competitors' average listed price: the demand model's reference; undefined when none lists it. */
  reference(productId: string): number | undefined {
    const o = this.offers(productId);
    return o.length ? o.reduce((n, x) => n + x.price, 0) / o.length : undefined;
  }
}

function listed(s: Slot, now: number): number | null {
  if (s.outUntil !== null && now < s.outUntil) return null;
  return s.promo ? round2(s.base * (1 - s.promo.depth)) : s.base;
}

function gap(rng: Rng, e: Episodes | undefined): number {
  if (!e) return Infinity;
  return -Math.log(1 - rng.next()) * e.meanGapDays * 24 * HOUR_MS;
}
