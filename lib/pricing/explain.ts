/**
 * A decision as a plain-text waterfall for a terminal: the prices that were
 * used and the ones that were not (with why), then every step from our
 * current price through the target and the guardrails to the final price.
 */
import type { Decision, Observation } from "./types.ts";

const price = (p: number) => (p >= 0.01 || p === 0 ? p.toFixed(2) : String(p));

function when(o: Observation): string {
  const t = new Date(o.observedAt);
  return Number.isNaN(t.getTime())
    ? "at an unknown time"
    : `${t.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function table(rows: string[][], align: ("l" | "r")[]): string[] {
  const widths = align.map((_, c) =>
    Math.max(...rows.map((r) => r[c]!.length))
  );
  return rows.map((r) =>
    "  " +
    r.map((cell, c) => (align[c] === "r"
      ? cell.padStart(widths[c]!)
      : cell.padEnd(widths[c]!))
    ).join("  ")
      .trimEnd()
  );
}

function observations(d: Decision): string[] {
  const lines = [`Used (${d.used.length}):`];
  if (d.used.length === 0) lines.push("  none");
  else {lines.push(
      ...table(
        d.used.map((o) => [o.source, price(o.price), `seen ${when(o)}`]),
        ["l", "r", "l"],
      ),
    );}
  if (d.excluded.length === 0) return lines;
  lines.push(`Excluded (${d.excluded.length}):`);
  const rows = d.excluded.map((
    e,
  ) => [e.observation.source, price(e.observation.price), e.reason, e.detail]);
  return [...lines, ...table(rows, ["l", "r", "l", "l"])];
}

function waterfall(d: Decision): string[] {
  const rows = [["current", price(d.currentPrice), "our price now"]];
  for (const s of d.explanation) {
    rows.push([s.step, price(s.priceAfter), s.detail]);
  }
  const change = d.currentPrice > 0
    ? (d.recommendedPrice - d.currentPrice) / d.currentPrice
    : 0;
  const pct = `${change > 0 ? "+" : ""}${
    (Math.round(change * 1000) / 10 + 0).toFixed(1)
  }%`;
  rows.push(["final", price(d.recommendedPrice), `${d.action} (${pct})`]);
  return ["Waterfall:", ...table(rows, ["l", "r", "l"])];
}

/** The decision as a plain-text waterfall, one fact per line. */
export function formatWaterfall(d: Decision): string {
  const target = d.target === null ? "none (not enough data)" : price(d.target);
  const lines = [
    `Product ${d.productId}: ${d.action} ${price(d.currentPrice)} -> ${
      price(d.recommendedPrice)
    }`,
    ...observations(d),
    `Target: ${target}`,
    ...waterfall(d),
    `Floor ${price(d.floor)}, ceiling ${price(d.ceiling)}`,
    `Margin ${
      (d.expectedMargin * 100).toFixed(1)
    }%, confidence ${d.confidence}, auto-apply ${d.autoApply ? "yes" : "no"}`,
    `Flags: ${d.flags.length === 0 ? "none" : d.flags.join(", ")}`,
  ];
  if (d.holdReason) lines.push(`Held because ${d.holdReason}`);
  return lines.join("\n");
}
