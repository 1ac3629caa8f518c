import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { Rng } from "../rng.ts";
import { expectedReference, ReactionLearner } from "./reactions.ts";

const HOUR = 3_600_000;
const clamp = (x: number, lo: number, hi: number) =>
  Math.min(hi, Math.max(lo, x));

/**
 * Ten days of three rivals on two products: an undercutting bot (2% under us,
 * every 6 h, within [85, 108]), a shop matching our price of a day ago (every
 * 8 h, within [90, 110]) and a list-price shop with promotions. Our price is
 * tested ±5% every 4 h.
 */
function tenDays(): ReactionLearner {
  const learner = new ReactionLearner();
  const rng = new Rng("reactions");
  const ours = new Map<string, { at: number; price: number }[]>();
  const at = (id: string, t: number) =>
    ours.get(id)!.findLast((p) => p.at <= t)?.price ?? 100;
  for (const id of ["A", "B"]) {
    const path = [];
    for (let h = 0; h < 240; h += 4) {
      path.push({ at: h * HOUR, price: 100 * (1 + 0.05 * rng.int(-1, 1)) });
    }
    ours.set(id, path);
    for (const p of path) learner.ours(id, p.at, p.price);
    for (let h = 0; h < 240; h++) {
      const t = h * HOUR;
      if (h % 6 === 3) {
        learner.theirs("Bot", id, t, clamp(0.98 * at(id, t), 85, 108));
      }
      if (h % 8 === 5) {
        learner.theirs("Matcher", id, t, clamp(at(id, t - 24 * HOUR), 90, 110));
      }
      const promo = h % 72 >= 30 && h % 72 < 40;
      learner.theirs("Lister", id, t, promo ? 85 + rng.int(0, 5) : 100);
    }
  }
  learner.refresh();
  return learner;
}

Deno.test("reactions - a bot undercutting us and a shop matching us a day later are followers; a list-price shop is not", () => {
  const found = tenDays().reactions("A");
  const by = new Map(found.map((r) => [r.competitor, r]));
  assertEquals([...by.keys()].sort(), ["Bot", "Matcher"]);
  const bot = by.get("Bot")!, matcher = by.get("Matcher")!;
  ok(Math.abs(bot.ratio - 0.98) < 1e-9 && bot.lagHours === 0, `${bot.ratio}`);
  // Our price holds 4 h, so lags of 22–25 h explain the matcher equally well.
  ok(Math.abs(matcher.ratio - 1) < 1e-9, `${matcher.ratio}`);
  ok(matcher.lagHours >= 22 && matcher.lagHours <= 25, `${matcher.lagHours}`);
  ok(bot.fit > 0.9 && matcher.fit > 0.9, `${bot.fit} ${matcher.fit}`);
  ok(Math.abs(bot.highest - 0.98 * 105) < 1e-9, `${bot.highest}`);
});

Deno.test("reactions - nothing is a follower before enough of its changes are seen", () => {
  const learner = new ReactionLearner();
  learner.ours("A", 0, 100);
  learner.theirs("Bot", "A", 0, 98);
  learner.theirs("Bot", "A", HOUR, 97);
  learner.refresh();
  assertEquals(learner.reactions("A"), []);
});

Deno.test("reactions - the expected reference follows our price up to each follower's highest price, and all the way down", () => {
  const now = [
    { source: "Lister", price: 100 },
    { source: "Bot", price: 98 },
  ];
  const bot = {
    competitor: "Bot",
    ratio: 0.98,
    lagHours: 0,
    highest: 103,
    fit: 1,
    changes: 50,
  };
  assertEquals(expectedReference(100, now, [bot]), (100 + 98) / 2);
  assertEquals(expectedReference(80, now, [bot]), (100 + 0.98 * 80) / 2);
  assertEquals(expectedReference(120, now, [bot]), (100 + 103) / 2);
  assertEquals(expectedReference(120, now, []), 99);
});
