/**
 * Charts the analytics pages need beyond components/charts.tsx: a vertical
 * histogram and a colored grid (heatmap). Plain server-rendered SVG; cell
 * colors are inline because their intensity is data.
 */
import type { ComponentChildren } from "preact";
import { ticks } from "./charts.tsx";

const W = 900, L = 64, R = 16, T = 12, B = 40;

/** Vertical bars over consecutive bins, labelled with their lower edges. */
export function Histogram(
  { bins, title, xLabel, yLabel, xFormat }: {
    bins: Array<{ from: number; to: number; count: number }>;
    title: string;
    xLabel: string;
    yLabel: string;
    xFormat: (n: number) => string;
  },
) {
  const H = 230;
  const yt = ticks(0, Math.max(1, ...bins.map((b) => b.count)), 4);
  const top = yt[yt.length - 1]!;
  const bw = (W - L - R) / Math.max(1, bins.length);
  const sy = (v: number) => H - B - (v / top) * (H - T - B);
  const every = Math.ceil(bins.length / 12);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      <g class="grid">
        {yt.map((v) => (
          <g>
            <line x1={L} x2={W - R} y1={sy(v)} y2={sy(v)} />
            <text class="axis-label" x={L - 8} y={sy(v) + 4} text-anchor="end">
              {v}
            </text>
          </g>
        ))}
      </g>
      {bins.map((b, i) => (
        <g class={b.from >= 0 ? "bar hist-above" : "bar hist-below"}>
          <rect
            x={L + i * bw + 1}
            y={sy(b.count)}
            width={Math.max(1, bw - 2)}
            height={H - B - sy(b.count)}
            style={b.from >= 0 ? "fill: var(--bad)" : "fill: var(--good)"}
          >
            <title>
              {`${xFormat(b.from)} to ${
                xFormat(b.to)
              }: ${b.count} observations`}
            </title>
          </rect>
          {i % every === 0 && (
            <text
              class="axis-label"
              x={L + i * bw}
              y={H - B + 16}
              text-anchor="middle"
            >
              {xFormat(b.from)}
            </text>
          )}
        </g>
      ))}
      <text class="axis-title" x={(W + L) / 2} y={H - 4} text-anchor="middle">
        {xLabel}
      </text>
      <text
        class="axis-title"
        transform={`translate(14 ${(H - B + T) / 2}) rotate(-90)`}
        text-anchor="middle"
      >
        {yLabel}
      </text>
    </svg>
  );
}

export interface HeatGridProps {
  title: string;
  rows: string[];
  cols: string[];
  /** Value of a cell; null draws it empty. */
  value: (row: number, col: number) => number | null;
  format: (n: number) => string;
  /** Diverging: negative green, positive red (price gaps); otherwise one blue scale from 0. */
  diverging?: boolean;
  /** Width of the row-label column. */
  labelWidth?: number;
  /** Slant column labels (for many or long labels). */
  slantCols?: boolean;
}

/** A grid of colored cells with the value in each, rows × columns. */
export function HeatGrid(
  { title, rows, cols, value, format, diverging, labelWidth = 110, slantCols }:
    HeatGridProps,
) {
  const cw = Math.max(
    24,
    Math.min(70, (W - labelWidth - R) / Math.max(1, cols.length)),
  );
  const ch = 26;
  const head = slantCols ? 64 : 20;
  const width = labelWidth + cols.length * cw + R;
  const height = T + head + rows.length * ch + 8;
  const values = rows.flatMap((_, r) => cols.map((_, c) => value(r, c))).filter(
    (v): v is number => v !== null,
  );
  const max = Math.max(1e-9, ...values.map(Math.abs));
  const fill = (v: number) => {
    const a = (0.12 + 0.78 * Math.abs(v) / max).toFixed(2);
    if (!diverging) return `rgba(79, 70, 229, ${a})`;
    return v > 0
      ? `rgba(220, 38, 38, ${a})`
      : v < 0
      ? `rgba(5, 150, 105, ${a})`
      : "#f1f5f9";
  };
  const small = cw < 40;
  return (
    <svg
      class="chart heat-grid"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={title}
    >
      <title>{title}</title>
      {cols.map((c, j) => (
        slantCols
          ? (
            <text
              class="axis-label"
              transform={`translate(${labelWidth + j * cw + cw / 2 - 4} ${
                T + head - 6
              }) rotate(-50)`}
            >
              {c}
            </text>
          )
          : (
            <text
              class="axis-label"
              x={labelWidth + j * cw + cw / 2}
              y={T + 8}
              text-anchor="middle"
            >
              {c}
            </text>
          )
      ))}
      {rows.map((r, i) => (
        <g>
          <text
            class="axis-label"
            x={labelWidth - 8}
            y={T + head + i * ch + 17}
            text-anchor="end"
          >
            {r}
          </text>
          {cols.map((c, j) => {
            const v = value(i, j);
            return (
              <g>
                <rect
                  x={labelWidth + j * cw + 1}
                  y={T + head + i * ch + 1}
                  width={cw - 2}
                  height={ch - 2}
                  rx="3"
                  style={`fill: ${v === null ? "#f8fafc" : fill(v)}`}
                >
                  <title>
                    {`${r} × ${c}: ${v === null ? "no data" : format(v)}`}
                  </title>
                </rect>
                {v !== null && !small && (
                  <text
                    class="value-label"
                    x={labelWidth + j * cw + cw / 2}
                    y={T + head + i * ch + 17}
                    text-anchor="middle"
                  >
                    {format(v)}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}

/** The window picker and extra inputs as a plain GET form: the choice lives in the URL. */
export function WindowForm(
  { action, hours, options, children }: {
    action: string;
    hours: number;
    options: Array<{ hours: number; label: string }>;
    children?: ComponentChildren;
  },
) {
  const opts = options.some((o) => o.hours === hours)
    ? options
    : [...options, { hours, label: `${hours} hours` }];
  return (
    <form class="filters" method="get" action={action}>
      <label>
        <span>Window</span>
        <select name="hours">
          {opts.map((o) => (
            <option value={String(o.hours)} selected={o.hours === hours}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      {children}
      <button type="submit" class="btn">Apply</button>
    </form>
  );
}

/** Links to the same data as JSON and CSV, with the page's filters. */
export function Downloads(
  { api, query, extra }: {
    api: string;
    query: string;
    extra?: Array<[string, string]>;
  },
) {
  const q = query ? `?${query}` : "";
  return (
    <p class="muted downloads">
      Data: <a href={`${api}${q}`}>JSON</a> ·{" "}
      <a href={`${api}.csv${q}`} download>CSV</a>
      {extra?.map(([label, href]) => (
        <>
          {" "}· <a href={href} download>{label}</a>
        </>
      ))}
    </p>
  );
}
