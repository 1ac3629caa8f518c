/**
 * A backtest for people and for programs: the tables `deno task backtest`
 * prints (Markdown, so they paste into the README as they are) and the JSON
 * of `--json`, which holds no timing so the same seed gives the same bytes.
 */
import type { BacktestResult, LearnedElasticity } from "./run.ts";

/** The `--json` object: params, one summary per strategy, the learned elasticity. */
export function toJson(r: BacktestResult): string {
  const { params, strategies, learned_elasticity } = r;
  return JSON.stringify({ params, strategies, learned_elasticity }, null, 2);
}

const whole = (x: number) => Math.round(x).toLocaleString("en-US");
const signed = (x: number) => `${x >= 0 ? "+" : "-"}${Math.abs(x).toFixed(1)}%`;

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** The strategies' table, with each one's gross margin against `static` and `seed-rule` when they ran. */
export function strategyTable(r: BacktestResult): string[] {
  const by = new Map(r.strategies.map((s) => [s.name, s]));
  const versus = (name: string, base: string) => {
    const b = by.get(base)?.gross_margin;
    const s = by.get(name)!.gross_margin;
    return b ? signed((s / b - 1) * 100) : "—";
  };
  const lines = [
    row([
      "strategy",
      "gross margin",
      "vs static",
      "vs seed-rule",
      "revenue",
      "units",
      "lost sales",
      "stock-out hours",
      "price changes",
      "violations",
    ]),
    row(["---", ...Array(9).fill("---:")]),
  ];
  for (const s of r.strategies) {
    lines.push(row([
      s.name,
      whole(s.gross_margin),
      versus(s.name, "static"),
      versus(s.name, "seed-rule"),
      whole(s.revenue),
      whole(s.units),
      whole(s.lost_sales),
      s.stockout_hours.toFixed(1),
      whole(s.price_changes),
      whole(s.violations),
    ]));
  }
  return lines;
}

/** The learned elasticity per category and check day, against the hidden truth. */
export function elasticityTable(rows: readonly LearnedElasticity[]): string[] {
  const lines = [
    row(["category", "day", "learned", "95% interval", "truth", "error"]),
    row(["---", "---:", "---:", "---:", "---:", "---:"]),
  ];
  for (const l of rows) {
    lines.push(row([
      l.category,
      String(l.day),
      l.estimate.toFixed(2),
      `[${l.low.toFixed(2)}, ${l.high.toFixed(2)}]`,
      l.truth.toFixed(2),
      signed((l.estimate / l.truth - 1) * 100),
    ]));
  }
  return lines;
}

/** Everything the command prints without `--json`. */
export function formatReport(r: BacktestResult): string {
  const p = r.params;
  const out = [
    `Backtest: market ${p.market}, seed "${p.seed}", ${p.days} days from ${p.start}, the engine every ${p.stepMinutes} min`,
    "",
    ...strategyTable(r),
  ];
  if (r.learned_elasticity.length) {
    out.push(
      "",
      "Elasticity learned by optimize from its own orders, against the hidden truth:",
      "",
      ...elasticityTable(r.learned_elasticity),
    );
  }
  return out.join("\n");
}
