/**
 * Simulated shoppers. Each user runs a session state machine:
 * idle → page views → product view → add to cart → carted → purchase, remove
 * or add more. A session's outcome is drawn when it starts (about 70% page
 * views only, 20% reach a product view, 8% add to cart, 2% purchase), so the
 * funnel has the shape of a real shop's.
 */
import type { ClickEvent } from "../events/schema.ts";
import { PRODUCTS } from "../catalog.ts";
import type { Rng } from "../rng.ts";

export const SESSION_OUTCOMES = {
  browse: 70,
  view: 20,
  cart: 8,
  purchase: 2,
} as const;
export const DEVICE_MIX = { mobile: 55, desktop: 35, tablet: 10 } as const;
type Outcome = keyof typeof SESSION_OUTCOMES;

interface Session {
  id: string;
  device: ClickEvent["device_type"];
  outcome: Outcome;
  /** The events still to come, generated lazily from the state machine. */
  queue: Array<
    Omit<
      ClickEvent,
      "event_id" | "user_id" | "session_id" | "timestamp" | "device_type"
    >
  >;
}

type Step = Session["queue"][number];

function productStep(
  type: ClickEvent["event_type"],
  rng: Rng,
  productId?: string,
): Step {
  const p = productId
    ? PRODUCTS.find((x) => x.id === productId)!
    : rng.pick(PRODUCTS);
  return {
    event_type: type,
    product_id: p.id,
    product_name: p.name,
    product_category: p.category,
    product_price: p.basePrice,
  };
}

const PAGE_VIEW: Step = {
  event_type: "page_view",
  product_id: null,
  product_name: null,
  product_category: null,
  product_price: null,
};

/** Scripts a whole session for `outcome` (the state machine, unrolled). */
export function scriptSession(outcome: Outcome, rng: Rng): Step[] {
  const steps: Step[] = Array.from({ length: rng.int(1, 3) }, () => PAGE_VIEW);
  if (outcome === "browse") return steps;
  const first = productStep("product_view", rng);
  steps.push(first);
  if (outcome === "view") {
    if (rng.next() < 0.3) steps.push(productStep("product_view", rng));
    return steps;
  }
  const cart = [first.product_id!];
  steps.push(productStep("add_to_cart", rng, first.product_id!));
  if (rng.next() < 0.25) {
    // Carted → add more.
    const more = productStep("product_view", rng);
    steps.push(more, productStep("add_to_cart", rng, more.product_id!));
    cart.push(more.product_id!);
  }
  if (outcome === "cart") {
    if (rng.next() < 0.5) {
      steps.push(productStep("remove_from_cart", rng, rng.pick(cart)));
    }
    return steps;
  }
  for (const id of cart) steps.push(productStep("purchase", rng, id));
  return steps;
}

export class ClickstreamGenerator {
  #sessions = new Map<string, Session>();
  readonly users: string[];

  constructor(private readonly rng: Rng, users = 50) {
    this.users = Array.from(
      { length: users },
      (_, i) => `user_${String(i + 1).padStart(4, "0")}`,
    );
  }

  /** The next event of a random shopper, starting a new session when theirs ended. */
  next(now: number): ClickEvent {
    const user = this.rng.pick(this.users);
    let s = this.#sessions.get(user);
    if (!s || s.queue.length === 0) {
      const outcome = this.rng.weighted(SESSION_OUTCOMES);
      s = {
        id: this.rng.uuid(),
        device: this.rng.weighted(DEVICE_MIX),
        outcome,
        queue: scriptSession(outcome, this.rng),
      };
      this.#sessions.set(user, s);
    }
    const step = s.queue.shift()!;
    return {
      event_id: this.rng.uuid(),
      user_id: user,
      session_id: s.id,
      ...step,
      timestamp: new Date(now).toISOString(),
      device_type: s.device,
    };
  }
}
