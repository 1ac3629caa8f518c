/**
 * Pricing strategies as data: the defaults, validation of JSON an analyst
 * wrote (every error names the field and the value in one sentence), and the
 * merge of category and product overrides over the default.
 */
import type {
  AutoApplyRule,
  PriceWarRule,
  Strategy,
  StrategyOverride,
  TargetKind,
  TargetSpec,
} from "./types.ts";

/**
 * The strategy every product gets unless a category or product overrides it.
 * Its target is the seed rule, so switching the engine over keeps today's
 * decisions and only adds the guardrails.
 */
export const DEFAULT_STRATEGY: Readonly<Strategy> = Object.freeze<Strategy>({
  // Nested objects are frozen too: resolved strategies share them.
  target: Object.freeze({ kind: "seed_rule" }),
  minObservations: 1,
  minMargin: 0.10,
  maxMarkup: 0.25,
  maxStepPct: 0.05,
  cooldownMinutes: 60,
  priceEnding: 0.99,
  lowCoverDays: 7,
  lowCoverRaisePct: 0.03,
  overstockCoverDays: 90,
  overstockStepPct: 0.10,
  priceWar: Object.freeze({ undercuts: 3, windowHours: 24 }),
  autoApply: null,
});

const TARGET_KINDS: readonly TargetKind[] = [
  "static",
  "seed_rule",
  "cheapest",
  "average",
  "competitor",
  "optimize",
];

interface Range {
  min: number;
  max: number;
  /** The minimum itself is not allowed (a step of 0 would freeze prices). */
  aboveMin?: boolean;
  integer?: boolean;
}

// Bounds that keep a typo from becoming a pricing incident; a negative margin
// would sell below cost, which is the defect this core exists to prevent.
const NUMBERS: Record<string, Range> = {
  minObservations: { min: 1, max: 100, integer: true },
  minMargin: { min: 0, max: 10 },
  maxMarkup: { min: 0, max: 10 },
  maxStepPct: { min: 0, max: 1, aboveMin: true },
  cooldownMinutes: { min: 0, max: 10_080 },
  lowCoverDays: { min: 0, max: 365 },
  lowCoverRaisePct: { min: 0, max: 1 },
  overstockCoverDays: { min: 0, max: 3650 },
  overstockStepPct: { min: 0, max: 1, aboveMin: true },
  "priceWar.undercuts": { min: 1, max: 20, integer: true },
  "priceWar.windowHours": { min: 0, max: 720, aboveMin: true },
  "autoApply.maxChangePct": { min: 0, max: 1 },
  "autoApply.minConfidence": { min: 0, max: 1 },
  "target.offsetPct": { min: -0.5, max: 0.5 },
  "target.offsetAmount": { min: -100_000, max: 100_000 },
};

const FIELDS = new Set([
  ...Object.keys(NUMBERS).filter((k) => !k.includes(".")),
  "target",
  "includeCompetitors",
  "excludeCompetitors",
  "priceEnding",
  "priceWar",
  "autoApply",
]);

/** A strategy an analyst wrote that cannot be used; the message names the field. */
export class StrategyError extends Error {
  override name = "StrategyError";
}

function fail(field: string, problem: string, value: unknown): never {
  const shown = value === undefined
    ? "nothing"
    : typeof value === "number"
    ? String(value) // JSON would show NaN and Infinity as null
    : JSON.stringify(value);
  throw new StrategyError(
    `Cannot use strategy: field "${field}" ${problem}, got ${shown}`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkNumber(field: string, value: unknown): number {
  const r = NUMBERS[field]!;
  const kind = r.integer ? "an integer" : "a number";
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail(field, `must be ${kind}`, value);
  }
  if (r.integer && !Number.isInteger(value)) {
    fail(field, `must be ${kind}`, value);
  }
  if (value < r.min || value > r.max) {
    fail(field, `must be between ${r.min} and ${r.max}`, value);
  }
  if (r.aboveMin && value === r.min) {
    fail(field, `must be more than ${r.min}`, value);
  }
  return value;
}

function checkNames(field: string, value: unknown): readonly string[] {
  const ok = Array.isArray(value) &&
    value.every((v) => typeof v === "string" && v.length > 0);
  if (!ok) fail(field, "must be a list of competitor names", value);
  return value as string[];
}

function checkEnding(value: unknown): number | null {
  if (value === null) return null;
  const cents = typeof value === "number" ? value * 100 : NaN;
  const ok = cents >= 0 && cents <= 99 &&
    Math.abs(cents - Math.round(cents)) < 1e-9;
  if (!ok) fail("priceEnding", "must be null or cents from 0 to 0.99", value);
  return Math.round(cents) / 100;
}

function checkTarget(value: unknown): TargetSpec {
  if (!isObject(value)) fail("target", "must be an object with a kind", value);
  const kind = value.kind as TargetKind;
  if (!TARGET_KINDS.includes(kind)) {
    fail(
      "target.kind",
      `must be one of ${TARGET_KINDS.join(", ")}`,
      value.kind,
    );
  }
  const allowed = kind === "competitor"
    ? ["kind", "competitor", "offsetPct", "offsetAmount"]
    : kind === "cheapest" || kind === "average"
    ? ["kind", "offsetPct", "offsetAmount"]
    : ["kind"];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      fail(`target.${key}`, `is not used by kind "${kind}"`, value[key]);
    }
  }
  if (
    kind === "competitor" &&
    (typeof value.competitor !== "string" || value.competitor === "")
  ) {
    fail("target.competitor", "must name a competitor", value.competitor);
  }
  for (const key of ["offsetPct", "offsetAmount"]) {
    if (value[key] !== undefined) checkNumber(`target.${key}`, value[key]);
  }
  return { ...value } as TargetSpec;
}

function checkRule<T extends object>(
  name: "priceWar" | "autoApply",
  value: unknown,
): Partial<T> | null {
  if (value === null) return null;
  if (!isObject(value)) fail(name, "must be an object or null", value);
  const keys = name === "priceWar"
    ? ["undercuts", "windowHours"]
    : ["maxChangePct", "minConfidence"];
  const out: Record<string, number> = {};
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) fail(`${name}.${key}`, "is unknown", value[key]);
  }
  for (const key of keys) {
    if (value[key] === undefined) continue;
    out[key] = checkNumber(`${name}.${key}`, value[key]);
  }
  return out as Partial<T>;
}

/**
 * Checks a partial strategy (a category's or a product's override) field by
 * field and returns it typed; throws naming the first bad field and its value.
 */
export function validateStrategyOverride(json: unknown): StrategyOverride {
  if (!isObject(json)) fail("(root)", "must be an object", json);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!FIELDS.has(key)) fail(key, "is unknown", value);
    if (value === undefined) continue;
    if (key === "target") out[key] = checkTarget(value);
    else if (key.endsWith("Competitors")) out[key] = checkNames(key, value);
    else if (key === "priceEnding") out[key] = checkEnding(value);
    else if (key === "priceWar" || key === "autoApply") {
      out[key] = checkRule(key, value);
    } else out[key] = checkNumber(key, value);
  }
  return out as StrategyOverride;
}

function mergeRule<T extends object>(
  base: T | null,
  over: Partial<T> | null | undefined,
  fallback: T,
): T | null {
  if (over === undefined) return base;
  if (over === null) return null;
  return { ...(base ?? fallback), ...over };
}

const FALLBACK_AUTO_APPLY: AutoApplyRule = {
  maxChangePct: 0.03,
  minConfidence: 0.8,
};

function merge(base: Strategy, over: StrategyOverride): Strategy {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(over)) {
    if (value !== undefined) out[key] = value;
  }
  out.priceWar = mergeRule<PriceWarRule>(
    base.priceWar,
    over.priceWar,
    DEFAULT_STRATEGY.priceWar!,
  );
  out.autoApply = mergeRule(
    base.autoApply,
    over.autoApply,
    FALLBACK_AUTO_APPLY,
  );
  return out as unknown as Strategy;
}

/**
 * Checks a whole strategy: fields missing from `json` take their default.
 * Returns it typed, or throws naming the first bad field and its value.
 */
export function validateStrategy(json: unknown): Strategy {
  const s = merge(DEFAULT_STRATEGY, validateStrategyOverride(json));
  if (s.overstockCoverDays <= s.lowCoverDays) {
    fail(
      "overstockCoverDays",
      `must be more than lowCoverDays (${s.lowCoverDays})`,
      s.overstockCoverDays,
    );
  }
  return s;
}

/**
 * The strategy of one product: the product's override over its category's
 * over the default, field by field (`priceWar`/`autoApply` merge their own
 * fields; `null` switches them off), validated as a whole.
 */
export function resolveStrategy(
  base: Strategy,
  categoryOverride?: StrategyOverride | null,
  productOverride?: StrategyOverride | null,
): Strategy {
  let s = base;
  if (categoryOverride) {
    s = merge(s, validateStrategyOverride(categoryOverride));
  }
  if (productOverride) s = merge(s, validateStrategyOverride(productOverride));
  return validateStrategy(s);
}
