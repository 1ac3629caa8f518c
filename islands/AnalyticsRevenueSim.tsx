/**
 * The revenue simulation of following every `lower` recommendation, with the
 * price elasticity as an input. Works as a plain GET form without
 * JavaScript; with it, the table follows the input as it changes and the
 * URL keeps the chosen elasticity.
 */
import { useState } from "preact/hooks";
import { island } from "../lib/islands/island.ts";
import { money, percent, rate, signedPct } from "../lib/web/format.ts";
import {
  DEFAULT_ELASTICITY,
  ELASTICITY_RANGE,
  type LowerCandidate,
  simulateLowering,
  SIMULATION_ASSUMPTION,
  type SimulationResult,
} from "../lib/analytics/revenue_simulation.ts";
import { TableWrap } from "../components/Table.tsx";

export interface RevenueSimProps {
  candidates: LowerCandidate[];
  windowHours: number;
  elasticity: number;
}

function compute(p: RevenueSimProps, e: number): SimulationResult | string {
  try {
    return simulateLowering(p.candidates, p.windowHours, e);
  } catch (err) {
    return (err as Error).message;
  }
}

const learnedCount = (r: SimulationResult) =>
  r.products.filter((x) => x.elasticitySource === "learned").length;

function AnalyticsRevenueSim(p: RevenueSimProps) {
  const [text, setText] = useState(String(p.elasticity));
  const result = compute(p, text.trim() === "" ? NaN : Number(text));
  const onInput = (v: string) => {
    setText(v);
    const url = new URL(location.href);
    url.searchParams.set("elasticity", v);
    history.replaceState(null, "", url);
    // The window picker above carries the elasticity too: keep it in step.
    for (
      const el of document.querySelectorAll<HTMLInputElement>(
        'input[type="hidden"][name="elasticity"]',
      )
    ) el.value = v;
  };
  const t = typeof result === "string" ? null : result.totals;
  return (
    <div class="revenue-sim">
      <form class="filters" method="get" action="/analytics/price">
        <input type="hidden" name="hours" value={String(p.windowHours)} />
        <label>
          <span>Price elasticity of demand</span>
          <input
            type="number"
            name="elasticity"
            step="0.1"
            min={ELASTICITY_RANGE.min}
            max={ELASTICITY_RANGE.max}
            value={text}
            onInput={(e) => onInput((e.target as HTMLInputElement).value)}
            aria-describedby="sim-assumption"
          />
        </label>
        <button type="submit" class="btn">Recompute</button>
        <span class="muted">default {DEFAULT_ELASTICITY}</span>
      </form>
      <p id="sim-assumption" class="muted">
        <strong>Assumption.</strong> {SIMULATION_ASSUMPTION}
      </p>
      {p.candidates.length === 0
        ? (
          <p class="empty">
            No product has a <code>lower</code>{" "}
            recommendation right now, so following them changes nothing.
          </p>
        )
        : typeof result === "string"
        ? <p class="empty" role="alert">{result}</p>
        : (
          <>
            <p data-sim-total>
              Following {p.candidates.length} <code>lower</code>{" "}
              recommendation{p.candidates.length === 1 ? "" : "s"}: revenue{" "}
              {money(t!.revenuePerDayBefore)} → {money(t!.revenuePerDayAfter)}
              {" "}
              per day (
              <strong class={t!.revenuePerDayDelta >= 0 ? "pos" : "neg"}>
                {t!.revenuePerDayDelta >= 0 ? "+" : "−"}
                {money(Math.abs(t!.revenuePerDayDelta))}/day
              </strong>) at elasticity {result.elasticity}
              {learnedCount(result) > 0 &&
                ` (the learned elasticity of their category for ${
                  learnedCount(result)
                } of them)`}.
            </p>
            {result.products.length > 0 && (
              <TableWrap label="Simulated products" columns={6}>
                <table class="data">
                  <thead>
                    <tr>
                      <th>Product</th>
                      <th class="num">Price now → recommended</th>
                      <th class="num">Change</th>
                      <th class="num">Confidence</th>
                      <th class="num">Elasticity</th>
                      <th class="num">Units/day before → after</th>
                      <th class="num">Revenue/day change</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.products.map((x) => (
                      <tr>
                        <td>
                          <a href={`/pricing/${x.productId}`}>
                            {x.productName}
                          </a>
                        </td>
                        <td class="num">
                          {money(x.currentPrice)} → {money(x.recommendedPrice)}
                        </td>
                        <td class="num">{signedPct(x.priceChangePct)}</td>
                        <td class="num">{percent(x.confidence)}</td>
                        <td class="num">
                          {x.elasticity} {x.elasticitySource}
                        </td>
                        <td class="num">
                          {rate(x.unitsPerDayBefore, "")} →{" "}
                          {rate(x.unitsPerDayAfter, "units")}
                        </td>
                        <td
                          class={x.revenuePerDayDelta >= 0
                            ? "num pos"
                            : "num neg"}
                        >
                          {x.revenuePerDayDelta >= 0 ? "+" : "−"}
                          {money(Math.abs(x.revenuePerDayDelta))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </>
        )}
    </div>
  );
}

export default island("AnalyticsRevenueSim", AnalyticsRevenueSim);
