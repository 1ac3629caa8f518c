/** A KPI card: label, big value with its unit, one line of context. */
import type { ComponentChildren } from "preact";

export function Kpi(
  { label, value, sub, tone }: {
    label: string;
    value: string;
    sub?: ComponentChildren;
    tone?: "warn" | "good";
  },
) {
  return (
    <div class={tone ? `kpi ${tone}` : "kpi"} data-kpi={label}>
      <div class="kpi-label">{label}</div>
      <div class="kpi-value">{value}</div>
      {sub && <div class="kpi-sub">{sub}</div>}
    </div>
  );
}
