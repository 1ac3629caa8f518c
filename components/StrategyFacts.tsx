/** A resolved strategy in words, each field marked with the level it came from. */
import type { Strategy, StrategyOverride } from "../lib/pricing/types.ts";
import { percent } from "../lib/format.ts";

export interface Layer {
  scope: string;
  key: string;
  fields: StrategyOverride;
}

function target(s: Strategy): string {
  const t = s.target;
  const offset = "offsetPct" in t || "offsetAmount" in t
    ? [
      "offsetPct" in t && t.offsetPct ? ` ${percent(t.offsetPct)}` : "",
      "offsetAmount" in t && t.offsetAmount ? ` ${t.offsetAmount} USD` : "",
    ].join("")
    : "";
  switch (t.kind) {
    case "static":
      return "the list price";
    case "seed_rule":
      return "the seed rule (±10% gap and demand velocity, 0.99 × average)";
    case "competitor":
      return `${t.competitor}'s price${offset}`;
    case "optimize":
      return "the margin-optimal price from learned elasticity";
    default:
      return `the ${t.kind} competitor price${offset}`;
  }
}

/** Rows of [field, value in words]; the field name is the strategy's own key. */
function rows(s: Strategy): [keyof Strategy, string][] {
  return [
    ["target", target(s)],
    ["minMargin", `floor at cost + ${percent(s.minMargin)}`],
    ["maxMarkup", `ceiling at list + ${percent(s.maxMarkup)}`],
    ["maxStepPct", `at most ${percent(s.maxStepPct)} per change`],
    ["cooldownMinutes", `${s.cooldownMinutes} min between applied changes`],
    [
      "priceEnding",
      s.priceEnding === null
        ? "any cent"
        : `prices end in .${Math.round(s.priceEnding * 100)}`,
    ],
    [
      "lowCoverDays",
      `under ${s.lowCoverDays} days of cover: never lower, raise up to ${
        percent(s.lowCoverRaisePct)
      }`,
    ],
    [
      "overstockCoverDays",
      `over ${s.overstockCoverDays} days of cover: cut up to ${
        percent(s.overstockStepPct)
      }`,
    ],
    [
      "priceWar",
      s.priceWar
        ? `hold when one competitor undercut our last ${s.priceWar.undercuts} cuts within ${s.priceWar.windowHours} h`
        : "off",
    ],
    [
      "autoApply",
      s.autoApply
        ? `changes up to ${
          percent(s.autoApply.maxChangePct)
        } with confidence ≥ ${
          percent(s.autoApply.minConfidence)
        } apply by themselves`
        : "off: an analyst approves every change",
    ],
    [
      "minObservations",
      `${s.minObservations} usable competitor price(s) needed${
        s.excludeCompetitors?.length
          ? `; ignoring ${s.excludeCompetitors.join(", ")}`
          : ""
      }${
        s.includeCompetitors ? `; only ${s.includeCompetitors.join(", ")}` : ""
      }`,
    ],
  ];
}

function origin(field: string, layers: Layer[]): string {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (field in l.fields) {
      return l.scope === "default" ? "default" : `${l.scope} ${l.key}`;
    }
  }
  return "built-in";
}

/** The strategy in force, field by field. */
export function StrategyFacts(
  { strategy, layers }: { strategy: Strategy; layers: Layer[] },
) {
  return (
    <dl class="facts" id="strategy-facts">
      {rows(strategy).map(([field, text]) => (
        <>
          <dt>{field}</dt>
          <dd data-field={field}>
            {text}
            <span class="origin">({origin(field, layers)})</span>
          </dd>
        </>
      ))}
    </dl>
  );
}
