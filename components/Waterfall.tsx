/**
 * Why a price: the stored waterfall (each step that set or changed the price,
 * with the price after it) and the competitor prices behind it, used and
 * left out with the reason. Server-rendered from what the engine stored.
 */
import { TableWrap } from "./Table.tsx";
import type {
  ExcludedObservation,
  ExplanationStep,
  Observation,
} from "../lib/pricing/types.ts";
import { money, signedPct } from "../lib/format.ts";
import { Empty } from "./Layout.tsx";

const when = (ms: number) =>
  new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";

/** The steps from our current price to the recommended one. */
export function Waterfall(
  { current, steps, final }: {
    current: number;
    steps: ExplanationStep[];
    final: number;
  },
) {
  const change = current > 0 ? ((final - current) / current) * 100 : 0;
  return (
    <TableWrap label="Pricing waterfall" columns={3}>
      <table class="data waterfall" id="waterfall">
        <caption class="sr-only">
          Pricing waterfall: each step and the price after it
        </caption>
        <thead>
          <tr>
            <th>Step</th>
            <th>Why</th>
            <th class="num">Price after</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td class="step">current</td>
            <td>Our price when the recommendation was computed</td>
            <td class="num">{money(current)}</td>
          </tr>
          {steps.map((s) => (
            <tr data-step={s.step}>
              <td class="step">{s.step}</td>
              <td>{s.detail}</td>
              <td class="num">{money(s.priceAfter)}</td>
            </tr>
          ))}
          <tr class="final">
            <td class="step">final</td>
            <td>Recommended price ({signedPct(change)} from current)</td>
            <td class="num">{money(final)}</td>
          </tr>
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The competitor prices the decision used, and those it left out and why. */
export function ObservationTables(
  { used, excluded }: {
    used: Observation[];
    excluded: ExcludedObservation[];
  },
) {
  if (used.length === 0 && excluded.length === 0) {
    return <Empty>No competitor prices were known for this product.</Empty>;
  }
  return (
    <TableWrap label="Competitor prices used and left out" columns={4}>
      <table class="data" id="observations">
        <thead>
          <tr>
            <th>Competitor</th>
            <th class="num">Price</th>
            <th>Seen</th>
            <th>Used?</th>
          </tr>
        </thead>
        <tbody>
          {used.map((o) => (
            <tr data-used={o.source}>
              <td>{o.source}</td>
              <td class="num">{money(o.price)}</td>
              <td>{when(o.observedAt)}</td>
              <td>Used</td>
            </tr>
          ))}
          {excluded.map((e) => (
            <tr data-excluded={e.observation.source}>
              <td>{e.observation.source}</td>
              <td class="num">{money(e.observation.price)}</td>
              <td>{when(e.observation.observedAt)}</td>
              <td>
                <span class={`reason ${e.reason}`}>
                  {e.reason === "outlier" ? "Quarantined" : "Left out"}:{" "}
                  {e.reason.replace("_", " ")}
                </span>{" "}
                <span class="muted">{e.detail}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
