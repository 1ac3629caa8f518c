/**
 * Simulated shoppers. Each user runs a session state machine:
 * idle → page views → product view → add to cart → carted → purchase, remove
 * or add more. 70% of sessions only browse pages; the rest view a product
 * drawn by its share of the market's views, and buy it with the market's
 * purchase probability at our price against the competitors' (so a higher
 * price loses buyers as the demand model says). Of those that do not buy,
 * 8 in 28 cart and leave. At price parity that is about 70% page views only,
 * 20% product views, 8% add to cart and 2% purchase: a real shop's funnel.
 * A purchase ships only if the shop has stock; otherwise the shopper removes
 * the item from the cart instead and the sale is lost.
 */
import type { ClickEvent } from "../events/schema.ts";
import type { Product } from "../catalog.ts";
import type { Rng } from "../rng.ts";

/** Session outcome shares (%) at price parity; purchases move with price. */
export const SESSION_OUTCOMES = {
  browse: 70,
  view: 20,
  cart: 8,
  purchase: 2,
} as const;
/** Of sessions that view a product and do not buy, the share that carts it. */
export const CART_WITHOUT_PURCHASE = SESSION_OUTCOMES.cart /
  (SESSION_OUTCOMES.view + SESSION_OUTCOMES.cart);
export const DEVICE_MIX = { mobile: 55, desktop: 35, tablet: 10 } as const;
type Outcome = keyof typeof SESSION_OUTCOMES;

/** What sessions need from the shop: which product, at what price, will it sell, is there stock. */
export interface SessionModel {
  /** A product drawn by its share of views. */
  pickProduct(rng: Rng): Product;
  priceOf(productId: string): number;
  /** P(purchase | view) at our current price. */
  purchaseChance(productId: string): number;
  /** Takes one unit from stock at `at`; false when there is none (a lost sale). */
  trySell(productId: string, at: number): boolean;
}

interface Session {
  id: string;
  device: ClickEvent["device_type"];
  /** The events still to come, generated lazily from the state machine. */
  queue: Step[];
}

type Step = Omit<
  ClickEvent,
  "event_id" | "user_id" | "session_id" | "timestamp" | "device_type"
>;

function productStep(
  type: ClickEvent["event_type"],
  p: Product,
  model: SessionModel,
): Step {
  return {
    event_type: type,
    product_id: p.id,
    product_name: p.name,
    product_category: p.category,
    product_price: model.priceOf(p.id),
  };
}

const PAGE_VIEW: Step = {
  event_type: "page_view",
  product_id: null,
  product_name: null,
  product_category: null,
  product_price: null,
};

/** Draws a session's outcome and first product: the purchase odds depend on that product's price. */
export function drawOutcome(
  rng: Rng,
  model: SessionModel,
): { outcome: Outcome; first: Product } {
  const first = model.pickProduct(rng);
  if (rng.next() * 100 < SESSION_OUTCOMES.browse) {
    return { outcome: "browse", first };
  }
  if (rng.next() < model.purchaseChance(first.id)) {
    return { outcome: "purchase", first };
  }
  const cart = rng.next() < CART_WITHOUT_PURCHASE;
  return { outcome: cart ? "cart" : "view", first };
}

/** Scripts a whole session for `outcome` starting at product `first` (the state machine, unrolled). */
export function scriptSession(
  outcome: Outcome,
  first: Product,
  rng: Rng,
  model: SessionModel,
): Step[] {
  const steps: Step[] = Array.from({ length: rng.int(1, 3) }, () => PAGE_VIEW);
  if (outcome === "browse") return steps;
  const step = (type: ClickEvent["event_type"], p: Product) =>
    productStep(type, p, model);
  steps.push(step("product_view", first));
  if (outcome === "view") {
    if (rng.next() < 0.3) {
      steps.push(step("product_view", model.pickProduct(rng)));
    }
    return steps;
  }
  const cart = [first];
  steps.push(step("add_to_cart", first));
  if (rng.next() < 0.25) {
    // Carted → add more.
    const more = model.pickProduct(rng);
    steps.push(step("product_view", more), step("add_to_cart", more));
    cart.push(more);
  }
  if (outcome === "cart") {
    if (rng.next() < 0.5) steps.push(step("remove_from_cart", rng.pick(cart)));
    return steps;
  }
  for (const p of cart) steps.push(step("purchase", p));
  return steps;
}

/**
 * `users` shoppers browse at once; each session they start belongs to one of
 * `customers` customers, drawn so that returning customers come back more
 * often than the rest: customer ⌊n·u³⌋ + 1 for u uniform, so the first tenth
 * of the customer base starts about 46 % of sessions and the last half about
 * 21 %, which gives the customer segments (RFM) regulars, occasional buyers
 * and lapsed ones. Without `customers`, each shopper is one customer.
 */
export class ClickstreamGenerator {
  /** The session of each shopper slot. */
  #sessions = new Map<number, Session & { user: string }>();
  /** The last `now` and its ISO text: a burst stamps many events alike. */
  #stamp = { at: NaN, text: "" };
  constructor(
    private readonly rng: Rng,
    private readonly model: SessionModel,
    readonly users = 50,
    readonly customers?: number,
  ) {}

  #customer(slot: number): string {
    const i = this.customers === undefined
      ? slot
      : Math.floor(this.customers * this.rng.next() ** 3);
    return `user_${String(i + 1).padStart(4, "0")}`;
  }

  #iso(now: number): string {
    if (this.#stamp.at !== now) {
      this.#stamp = { at: now, text: new Date(now).toISOString() };
    }
    return this.#stamp.text;
  }

  /** The next event of a random shopper, starting a new session when theirs ended. */
  next(now: number): ClickEvent {
    const slot = this.rng.int(0, this.users - 1);
    let s = this.#sessions.get(slot);
    if (!s || s.queue.length === 0) {
      const { outcome, first } = drawOutcome(this.rng, this.model);
      s = {
        id: this.rng.uuid(),
        device: this.rng.weighted(DEVICE_MIX),
        queue: scriptSession(outcome, first, this.rng, this.model),
        user: this.#customer(slot),
      };
      this.#sessions.set(slot, s);
    }
    let step = s.queue.shift()!;
    if (
      step.event_type === "purchase" &&
      !this.model.trySell(step.product_id!, now)
    ) {
      // Out of stock at checkout: the shopper drops it from the cart.
      step = { ...step, event_type: "remove_from_cart" };
    }
    return {
      event_id: this.rng.uuid(),
      user_id: s.user,
      session_id: s.id,
      ...step,
      timestamp: this.#iso(now),
      device_type: s.device,
    };
  }
}
