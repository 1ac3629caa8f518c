/** Horizontal bars with the formatted value at the end of each. */
import { ChartSvg } from "./charts.tsx";

export interface Bar {
  label: string;
  value: number;
  href?: string;
  tone?: string;
}

const ROW_H = 30;

export function BarChart(
  { bars, format, title }: {
    bars: Bar[];
    format: (n: number) => string;
    title: string;
  },
) {
  const max = Math.max(...bars.map((b) => b.value), 0) || 1;
  return (
    <ChartSvg
      cls="chart bar-chart"
      w={480}
      h={bars.length * ROW_H + 8}
      title={title}
    >
      {bars.map((b, i) => {
        const y = i * ROW_H + 4;
        const w = Math.max(2, (b.value / max) * 230);
        return (
          <g class={b.tone ? `bar ${b.tone}` : "bar"}>
            <text x="120" y={y + 19} text-anchor="end" class="axis-label">
              {b.label}
            </text>
            <rect x="130" y={y + 4} width={w} height={ROW_H - 10} rx="3" />
            <text x={138 + w} y={y + 19} class="value-label">
              {format(b.value)}
            </text>
          </g>
        );
      })}
    </ChartSvg>
  );
}
