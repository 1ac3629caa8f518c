import { ok } from "node:assert/strict";
import { COST_SHARE, PRODUCTS } from "./catalog.ts";

Deno.test("catalog - every unit cost is its category's share of list price, between 55% and 80%", () => {
  for (const p of PRODUCTS) {
    // Half a cent of rounding either way.
    const cent = 0.005 / p.basePrice;
    const share = p.unitCost / p.basePrice;
    ok(
      share >= 0.55 - cent && share <= 0.80 + cent,
      `${p.id} costs ${share} of list`,
    );
    ok(
      Math.abs(p.unitCost - p.basePrice * COST_SHARE[p.category]) <= 0.005,
      `${p.id}: ${p.unitCost} is not ${COST_SHARE[p.category]} × list`,
    );
  }
});
