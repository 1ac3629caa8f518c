import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { cleanObservations } from "./hygiene.ts";
import type { Observation } from "./types.ts";

const NOW = Date.UTC(2025, 10, 25, 12);
const HOUR = 3_600_000;
const obs = (source: string, price: number, hoursAgo = 0): Observation => ({
  source,
  price,
  observedAt: NOW - hoursAgo * HOUR,
});
const clean = (list: Observation[], ours = 100, lists = {}) =>
  cleanObservations(list, lists, ours, NOW, 6 * HOUR);
const sources = (list: readonly Observation[]) => list.map((o) => o.source);
const reasons = (r: ReturnType<typeof clean>) =>
  r.excluded.map((e) => `${e.observation.source}:${e.reason}`);

Deno.test("hygiene - a price older than the maximum age is stale and not used", () => {
  const r = clean([obs("A", 100, 1), obs("B", 101, 6.5), obs("C", 99, 6)]);
  assertEquals(sources(r.used), ["A", "C"]); // exactly 6 h old still counts
  assertEquals(reasons(r), ["B:stale"]);
  assertEquals(
    r.excluded[0]!.detail,
    "observed 6.5 h ago; prices older than 6 h are ignored",
  );
});

Deno.test("hygiene - prices that are not finite or below a cent are invalid", () => {
  const r = clean([
    obs("A", 0.001),
    obs("B", NaN),
    obs("C", Infinity),
    obs("D", -5),
    obs("E", 0.01, 0),
  ], 0.02);
  assertEquals(sources(r.used), ["E"]);
  assertEquals(reasons(r), [
    "A:invalid",
    "B:invalid",
    "C:invalid",
    "D:invalid",
  ]);
  assertEquals(r.excluded[0]!.detail, "price 0.001 is not a usable price");
});

Deno.test("hygiene - a price seen beyond clock skew in the future is invalid", () => {
  const r = clean([obs("A", 100, -0.05), obs("B", 100, -1)]);
  assertEquals(sources(r.used), ["A"]); // 3 min ahead is skew
  assertEquals(r.excluded[0]!.detail, "observed 60 min in the future");
});

Deno.test("hygiene - an excluded competitor and one outside the include list are dropped", () => {
  const list = [obs("A", 100), obs("B", 100), obs("C", 100)];
  const r = clean(list, 100, { excludeCompetitors: ["B"] });
  assertEquals([sources(r.used), reasons(r)], [["A", "C"], [
    "B:excluded_competitor",
  ]]);
  const only = clean(list, 100, {
    includeCompetitors: ["A", "B"],
    excludeCompetitors: ["B"],
  });
  assertEquals(sources(only.used), ["A"]);
  assertEquals(only.excluded.map((e) => e.detail), [
    'competitor "B" is excluded by the strategy',
    'competitor "C" is excluded by the strategy',
  ]);
});

Deno.test("hygiene - an older duplicate of a source is superseded by its newer price", () => {
  const r = clean([
    obs("A", 90, 2),
    obs("B", 100),
    obs("A", 95, 1),
    obs("B", 101),
  ]);
  assertEquals(r.used.map((o) => o.price), [95, 101]); // equal times: the later row wins
  assertEquals(reasons(r), ["A:stale", "B:stale"]);
  assertEquals(
    r.excluded[0]!.detail,
    'superseded by a newer price of "A" (95)',
  );
});

Deno.test("hygiene - a price outside half to twice the median of the others and ours is quarantined", () => {
  const r = clean([
    obs("A", 889),
    obs("B", 905),
    obs("C", 899),
    obs("Junk", 370.21),
  ], 899.99);
  assertEquals(sources(r.used), ["A", "B", "C"]);
  assertEquals(reasons(r), ["Junk:outlier"]);
  assertEquals(
    r.excluded[0]!.detail,
    "$370.21 is 0.41× the median $899.50 of the other prices and ours; usable prices lie within 0.5×–2×",
  );
  // Exactly half and exactly twice are still usable.
  assertEquals(sources(clean([obs("A", 50)], 100).used), ["A"]);
  assertEquals(sources(clean([obs("A", 200)], 100).used), ["A"]);
});

Deno.test("hygiene - a single observation is judged against our own price", () => {
  assertEquals(reasons(clean([obs("A", 49.99)])), ["A:outlier"]);
  assertEquals(sources(clean([obs("A", 199)]).used), ["A"]);
});

Deno.test("hygiene - the worst outlier goes first so it cannot drag the median that judges the others", () => {
  // Judged in one pass, 60 would be compared with the median of 100 and 1e6.
  const r = clean([obs("X", 60), obs("Wild", 1e6)], 100);
  assertEquals([sources(r.used), reasons(r)], [["X"], ["Wild:outlier"]]);
  match(
    r.excluded[0]!.detail,
    /^\$1,000,000\.00 is 1\.3e\+4× the median \$80\.00/,
  );
});

Deno.test("hygiene - observations that pass every check are used as they are, in order", () => {
  const list = [obs("A", 99), obs("B", 101), obs("C", 100)];
  const r = clean(list);
  assertEquals(r.used, list);
  assertEquals(r.used[0] === list[0], true); // no copies: a million products a run
  assertEquals(r.excluded, []);
});
