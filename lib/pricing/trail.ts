/**
 * What one decision collects on its way: the explanation steps, the flags
 * and why the price holds. One small object per decision keeps the pipeline's
 * functions from passing three arrays around.
 */
import { fromCents } from "./money.ts";
import type { ExplanationStep, Flag } from "./types.ts";

/** The explanation, flags and hold reasons of one decision in progress. */
export class Trail {
  readonly steps: ExplanationStep[] = [];
  readonly flags: Flag[] = [];
  holdReason: string | null = null;

  /** Records a step and the price (cents) after it. */
  step(step: string, detail: string, cents: number): void {
    this.steps.push({ step, detail, priceAfter: fromCents(cents) });
  }

  /** Raises a flag once. */
  flag(flag: Flag): void {
    if (!this.flags.includes(flag)) this.flags.push(flag);
  }

  /** Adds a reason the price holds. */
  hold(reason: string): void {
    this.holdReason = this.holdReason
      ? `${this.holdReason}; ${reason}`
      : reason;
  }
}
