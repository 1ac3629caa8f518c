/**
 * How competitors answer our prices, learned from what the crawler saw: a
 * competitor "follows" us when its price changes land on a fixed ratio of our
 * price some hours earlier (GadgetZone's bot undercutting us by 2%, a shop
 * matching us a day later); one whose changes do not (list price and
 * promotions) is independent. The optimizer uses this to anticipate the
 * reference a new price of ours will meet once they have answered.
 *
 * Kinked, as oligopoly pricing is usually modelled and as a careful analyst
 * would assume: a follower is expected to follow our cuts all the way down,
 * but our raises only up to the highest price it has been seen to charge for
 * the product. So the model never promises that a rival will follow us into
 * prices it has never charged; price tests teach it how far they go.
 */
import { HOUR_MS } from "../time.ts";

/** A competitor that follows our price of a product. */
export interface Reaction {
  competitor: string;
  /** Their price ≈ ratio × our price, once they answered. */
  ratio: number;
  /** Hours after our change that they answer (the best-fitting lag). */
  lagHours: number;
  /** The highest price they were seen to charge for the product. */
  highest: number;
  /** Share of their price changes the rule explains. */
  fit: number;
  /** Their price changes seen. */
  changes: number;
}

interface Point {
  at: number;
  price: number;
}

/** Lags tried, in hours: a bot answers within the hour, a shop within two days. */
const LAGS = Array.from({ length: 49 }, (_, h) => h);
/** A price "lands on" the ratio when it is within 0.3% of it. */
const TOLERANCE = 0.003;
/** Share of changes a follower's rule must explain, and the changes needed to tell. */
const MIN_FIT = 0.5;
const MIN_CHANGES = 6;

/** Our price of a product at `t`: the last point at or before it. */
function priceAt(path: readonly Point[], t: number): number | undefined {
  let lo = 0, hi = path.length - 1, found: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (path[mid]!.at <= t) [found, lo] = [path[mid]!.price, mid + 1];
    else hi = mid - 1;
  }
  return found;
}

export class ReactionLearner {
  readonly #ours = new Map<string, Point[]>();
  /** competitor → product → their prices (changes only). */
  readonly #theirs = new Map<string, Map<string, Point[]>>();
  /** `competitor|product` → the highest price seen. */
  readonly #highest = new Map<string, number>();
  #reactions = new Map<string, Omit<Reaction, "highest">>();

  /** Notes our price of `productId` from `at` on. */
  ours(productId: string, at: number, price: number): void {
    const path = this.#ours.get(productId) ?? [];
    if (path.at(-1)?.price !== price) path.push({ at, price });
    this.#ours.set(productId, path);
  }

  /** Notes an observation of `competitor`'s price. */
  theirs(competitor: string, productId: string, at: number, price: number) {
    const byProduct = this.#theirs.get(competitor) ?? new Map();
    const path: Point[] = byProduct.get(productId) ?? [];
    if (path.at(-1)?.price !== price) path.push({ at, price });
    byProduct.set(productId, path);
    this.#theirs.set(competitor, byProduct);
    const key = `${competitor}|${productId}`;
    this.#highest.set(key, Math.max(price, this.#highest.get(key) ?? 0));
  }

  /** Re-learns which competitors follow us, pooled over products. */
  refresh(): void {
    const out = new Map<string, Omit<Reaction, "highest">>();
    for (const [competitor, byProduct] of this.#theirs) {
      const best = this.#bestLag(byProduct);
      if (best && best.fit >= MIN_FIT && best.changes >= MIN_CHANGES) {
        out.set(competitor, { competitor, ...best });
      }
    }
    this.#reactions = out;
  }

  /** The followers of our price of `productId`, as last learned. */
  reactions(productId: string): Reaction[] {
    const out: Reaction[] = [];
    for (const r of this.#reactions.values()) {
      const highest = this.#highest.get(`${r.competitor}|${productId}`);
      if (highest !== undefined) out.push({ ...r, highest });
    }
    return out;
  }

  /**
   * The lag at which most of a competitor's price changes land on one ratio
   * of our price. A change to the highest or lowest price it ever charged for
   * the product is left out: there it sits against its own bounds, not ours.
   */
  #bestLag(byProduct: Map<string, Point[]>) {
    const changes = [...byProduct].map(([productId, path]) => {
      const prices = path.map((p) => p.price);
      const [low, high] = [Math.min(...prices), Math.max(...prices)];
      const inside = path.slice(1).filter((p) =>
        p.price > low && p.price < high
      );
      return { ours: this.#ours.get(productId) ?? [], inside };
    });
    let best: Omit<Reaction, "competitor" | "highest"> | null = null;
    for (const lag of LAGS) {
      const ratios: number[] = [];
      for (const { ours, inside } of changes) {
        for (const p of inside) {
          const then = priceAt(ours, p.at - lag * HOUR_MS);
          if (then !== undefined) ratios.push(p.price / then);
        }
      }
      const ratio = mode(ratios);
      const fit = ratios.length
        ? ratios.filter((r) => Math.abs(r / ratio - 1) < TOLERANCE).length /
          ratios.length
        : 0;
      if (!best || fit > best.fit) {
        best = { ratio, lagHours: lag, fit, changes: ratios.length };
      }
    }
    return best;
  }
}

/** The most common value, to within the tolerance (1 for none). */
function mode(xs: readonly number[]): number {
  const bins = new Map<number, number[]>();
  for (const x of xs) {
    const k = Math.round(Math.log(x) / TOLERANCE);
    const bin = bins.get(k);
    if (bin) bin.push(x);
    else bins.set(k, [x]);
  }
  let top: number[] = [];
  for (const b of bins.values()) if (b.length > top.length) top = b;
  return top.length ? median(top) : 1;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 1;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The competitors' average we expect to meet at our price `price` once the
 * followers answered: a follower at min(ratio × price, its highest price),
 * everyone else where they are now (`current`, one price per competitor).
 */
export function expectedReference(
  price: number,
  current: readonly { source: string; price: number }[],
  reactions: readonly Reaction[],
): number {
  let sum = 0;
  for (const o of current) {
    const r = reactions.find((x) => x.competitor === o.source);
    sum += r ? Math.min(r.ratio * price, r.highest) : o.price;
  }
  return sum / current.length;
}
