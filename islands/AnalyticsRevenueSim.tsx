/**
 * The revenue simulation of following every `lower` recommendation, with the
 * price elasticity as an input. Works as a plain GET form without
 * JavaScript; with it, the table follows the input as it changes and the
 * URL keeps the chosen elasticity.
 */
import { useState } from "preact/hooks";
import { island } from "../lib/islands/island.ts";
import { money, percent, rate, signedPct } from "../lib/format.ts";
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

/** Keeps `?elasticity=` and the window picker's hidden copy in step with the input. */
function keepInUrl(v: string): void {
  const url = new URL(location.href);
  url.searchParams.set("elasticity", v);
  history.replaceState(null, "", url);
  for (
    const el of document.querySelectorAll<HTMLInputElement>(
      'input[type="hidden"][name="elasticity"]',
    )
  ) el.value = v;
}

function ElasticityForm(
  { windowHours, text, onInput }: {
    windowHours: number;
    text: string;
    onInput: (v: string) => void;
  },
) {
  return (
    <form class="filters" method="get" action="/analytics/price">
      <input type="hidden" name="hours" value={String(windowHours)} />
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
  );
}

const signedMoney = (n: number) => `${n >= 0 ? "+" : "−"}${money(Math.abs(n))}`;

function SimTotal({ result, n }: { result: SimulationResult; n: number }) {
  const t = result.totals;
  const learned = learnedCount(result);
  return (
    <p data-sim-total>
      Following {n} <code>lower</code>{" "}
      recommendation{n === 1 ? "" : "s"}: revenue {money(t.revenuePerDayBefore)}
      {" "}
      → {money(t.revenuePerDayAfter)} per day (
      <strong class={t.revenuePerDayDelta >= 0 ? "pos" : "neg"}>
        {signedMoney(t.revenuePerDayDelta)}/day
      </strong>) at elasticity {result.elasticity}
      {learned > 0 &&
        ` (the learned elasticity of their category for ${learned} of them)`}.
    </p>
  );
}

const HEADINGS = [
  "Product",
  "Price now → recommended",
  "Change",
  "Confidence",
  "Elasticity",
  "Units/day before → after",
  "Revenue/day change",
];

function SimTable({ result }: { result: SimulationResult }) {
  return (
    <TableWrap label="Simulated products" columns={HEADINGS.length}>
      <table class="data">
        <thead>
          <tr>
            {HEADINGS.map((h, i) => (
              <th key={h} class={i === 0 ? undefined : "num"}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.products.map((x) => (
            <tr key={x.productId}>
              <td>
                <a href={`/pricing/${x.productId}`}>{x.productName}</a>
              </td>
              <td class="num">
                {money(x.currentPrice)} → {money(x.recommendedPrice)}
              </td>
              <td class="num">{signedPct(x.priceChangePct)}</td>
              <td class="num">{percent(x.confidence)}</td>
              <td class="num">{x.elasticity} {x.elasticitySource}</td>
              <td class="num">
                {rate(x.unitsPerDayBefore, "")} →{" "}
                {rate(x.unitsPerDayAfter, "units")}
              </td>
              <td class={x.revenuePerDayDelta >= 0 ? "num pos" : "num neg"}>
                {signedMoney(x.revenuePerDayDelta)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Outcome(
  { p, result }: { p: RevenueSimProps; result: SimulationResult | string },
) {
  if (p.candidates.length === 0) {
    return (
      <p class="empty">
        No product has a <code>lower</code>{" "}
        recommendation right now, so following them changes nothing.
      </p>
    );
  }
  if (typeof result === "string") {
    return <p class="empty" role="alert">{result}</p>;
  }
  return (
    <>
      <SimTotal result={result} n={p.candidates.length} />
      {result.products.length > 0 && <SimTable result={result} />}
    </>
  );
}

function AnalyticsRevenueSim(p: RevenueSimProps) {
  const [text, setText] = useState(String(p.elasticity));
  const result = compute(p, text.trim() === "" ? NaN : Number(text));
  const onInput = (v: string) => {
    setText(v);
    keepInUrl(v);
  };
  return (
    <div class="revenue-sim">
      <ElasticityForm
        windowHours={p.windowHours}
        text={text}
        onInput={onInput}
      />
      <p id="sim-assumption" class="muted">
        <strong>Assumption.</strong> {SIMULATION_ASSUMPTION}
      </p>
      <Outcome p={p} result={result} />
    </div>
  );
}

export default island("AnalyticsRevenueSim", AnalyticsRevenueSim);
