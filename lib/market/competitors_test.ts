import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { PRODUCT_BY_ID, PRODUCTS } from "../catalog.ts";
import {
  CompetitorField,
  type CompetitorSpec,
  DEFAULT_COMPETITORS,
} from "./competitors.ts";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-11-25T00:00:00Z");
const PHONE = PRODUCT_BY_ID.get("P001")!; // list 899.99
const quiet = { cadenceHours: 1, band: [0.5, 1.5] as const, startRatio: 1 };

function field(specs: CompetitorSpec[]) {
  return new CompetitorField({
    seed: "c",
    start: T0,
    specs,
    products: [PHONE],
  });
}

/** Runs `f` hour by hour over [from, to] with our price from `ours(t)`. */
function run(
  f: CompetitorField,
  from: number,
  to: number,
  ours: (t: number) => number,
) {
  for (let h = from; h <= to; h++) {
    const t = T0 + h * HOUR;
    f.advance(t, () => ours(t));
  }
}

Deno.test("competitors - a follower follows the cheapest offer, ours included", () => {
  const f = field([
    { ...quiet, name: "TechMart", behaviour: { kind: "static", ratio: 0.95 } },
    {
      ...quiet,
      name: "GadgetZone",
      behaviour: { kind: "follow-cheapest", premium: 0 },
    },
  ]);
  run(f, 0, 3, () => 900);
  assertEquals(f.priceOf("GadgetZone", "P001"), f.priceOf("TechMart", "P001"));
  assertEquals(f.priceOf("TechMart", "P001"), 854.99);
  run(f, 4, 6, () => 800);
  assertEquals(f.priceOf("GadgetZone", "P001"), 800);
});

Deno.test("competitors - an undercutter undercuts its leader by x%, within its band", () => {
  const f = field([
    { ...quiet, name: "TechMart", behaviour: { kind: "static", ratio: 1 } },
    {
      ...quiet,
      name: "GadgetZone",
      behaviour: { kind: "undercut-leader", leader: "us", by: 0.03 },
    },
    {
      ...quiet,
      name: "ElectroHub",
      behaviour: { kind: "undercut-leader", leader: "TechMart", by: 0.05 },
    },
  ]);
  run(f, 0, 2, () => 850);
  assertEquals(f.priceOf("GadgetZone", "P001"), 824.5);
  assertEquals(f.priceOf("ElectroHub", "P001"), 854.99);
  run(f, 3, 5, () => 200); // far below its floor of 0.5 × list
  assertEquals(f.priceOf("GadgetZone", "P001"), 450);
});

Deno.test("competitors - a matcher matches our price after its delay, not before", () => {
  const f = field([{
    ...quiet,
    name: "ElectroHub",
    behaviour: { kind: "match-us", delayHours: 12 },
  }]);
  const ours = (t: number) => t < T0 + 5 * HOUR ? 899.99 : 849.99;
  run(f, 0, 16, ours);
  assertEquals(f.priceOf("ElectroHub", "P001"), 899.99, "11 h after: not yet");
  run(f, 17, 18, ours); // from hour 17 the cut is 12 h old
  assertEquals(f.priceOf("ElectroHub", "P001"), 849.99);
});

Deno.test("competitors - promotions cut 10-20% for their hours and are rare; out-of-stock competitors are not listed", () => {
  const f = new CompetitorField({ seed: "episodes", start: T0 });
  let promoHours = 0, outHours = 0, slots = 0;
  const days = 60;
  for (let h = 0; h < days * 24; h++) {
    f.advance(T0 + h * HOUR, (id) => PRODUCT_BY_ID.get(id)!.basePrice);
    for (const p of PRODUCTS) {
      const tm = f.priceOf("TechMart", p.id);
      slots++;
      if (tm === undefined) outHours++;
      else if (tm < p.basePrice - 0.01) {
        promoHours++;
        const cut = 1 - tm / p.basePrice;
        ok(cut >= 0.099 && cut <= 0.201, `${p.id} at ${tm}: ${cut}`);
      }
      const ref = f.reference(p.id);
      const listed = f.offers(p.id).map((o) => o.price);
      assertEquals(ref === undefined, listed.length === 0);
      ok(
        tm !== undefined ||
          !f.offers(p.id).some((o) => o.competitor === "TechMart"),
      );
    }
  }
  // One 4-24 h promotion every 21 days: about 2.8% of hours; stock-outs 12-72 h every 45 days: ~3.9%.
  ok(promoHours / slots > 0.01 && promoHours / slots < 0.06, `${promoHours}`);
  ok(outHours / slots > 0.01 && outHours / slots < 0.08, `${outHours}`);
});

Deno.test("competitors - the default mix stays near list price with small moves", () => {
  const f = new CompetitorField({ seed: "mix", start: T0 });
  const ours = (id: string) => PRODUCT_BY_ID.get(id)!.basePrice;
  for (let h = 0; h < 14 * 24; h++) f.advance(T0 + h * HOUR, ours);
  for (const p of PRODUCTS) {
    for (const o of f.offers(p.id)) {
      const r = o.price / p.basePrice;
      ok(r >= 0.8 * 0.85 && r <= 1.1, `${o.competitor} ${p.id} at ${r}`);
    }
    const ref = f.reference(p.id);
    ok(ref === undefined || Math.abs(ref / p.basePrice - 1) < 0.1);
  }
  assertEquals(DEFAULT_COMPETITORS.length, 3);
});

Deno.test("competitors - the same seed gives the same moves", () => {
  const trace = (seed: string) => {
    const f = new CompetitorField({ seed, start: T0 });
    const out = [];
    for (let h = 0; h < 30 * 24; h += 2) {
      out.push(
        ...f.advance(
          T0 + h * HOUR,
          (id) => PRODUCT_BY_ID.get(id)!.basePrice * 1.03,
        ),
      );
    }
    return out;
  };
  const a = trace("same");
  assertEquals(a, trace("same"));
  ok(a.length > 50, `${a.length} changes in 30 days`);
  ok(JSON.stringify(a) !== JSON.stringify(trace("other")));
});
