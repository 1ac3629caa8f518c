/**
 * The pricing decision core: `decide` one product under a strategy, the
 * strategy helpers and the waterfall. Pure functions over plain data; the
 * engine, the approval pages and the market simulator import from here.
 */
export { decide } from "./decide.ts";
export { formatWaterfall } from "./explain.ts";
export { DEFAULT_MAX_AGE_MS } from "./hygiene.ts";
export {
  DEFAULT_STRATEGY,
  resolveStrategy,
  validateStrategy,
  validateStrategyOverride,
} from "./strategy.ts";
export type * from "./types.ts";
