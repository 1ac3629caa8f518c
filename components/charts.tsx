/**
 * The one chart kit: every chart (BarChart, ScatterChart, LineChart,
 * Histogram, HeatGrid) is plain SVG rendered on the server from these parts,
 * so axes, scales and legends look and work the same everywhere. No library,
 * no JavaScript; colors come from classes in static/style.css.
 */
import { type ComponentChildren, Fragment } from "preact";

/** A chart's size and the margins around its plot area, in SVG units. */
export interface Frame {
  w: number;
  h: number;
  l: number;
  r: number;
  t: number;
  b: number;
}

/** The frame of the wide charts with axes (scatter, lines). */
export const WIDE: Frame = { w: 900, h: 340, l: 72, r: 16, t: 16, b: 44 };

/** Maps [d0, d1] onto [r0, r1] linearly (an empty domain maps to r0). */
export function scale(
  d0: number,
  d1: number,
  r0: number,
  r1: number,
): (v: number) => number {
  return (v) => r0 + ((v - d0) / (d1 - d0 || 1)) * (r1 - r0);
}

/** Rounds a range out to "nice" tick values. */
export function ticks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) max = min + 1;
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ??
    raw;
  const out: number[] = [];
  for (
    let v = Math.floor(min / step) * step;
    v <= max + step * 0.999;
    v += step
  ) {
    out.push(Number(v.toFixed(10)));
    if (v >= max) break;
  }
  return out;
}

/** The `<svg>` of a chart, titled for screen readers. */
export function ChartSvg(
  { w, h, title, cls = "chart", children }: {
    w: number;
    h: number;
    title: string;
    cls?: string;
    children: ComponentChildren;
  },
) {
  return (
    <svg class={cls} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={title}>
      <title>{title}</title>
      {children}
    </svg>
  );
}

/** Horizontal grid lines with their labels on the left; `children` adds the x labels. */
export function Grid(
  { f, yt, sy, yFormat, children }: {
    f: Frame;
    yt: number[];
    sy: (v: number) => number;
    yFormat: (n: number) => string;
    children?: ComponentChildren;
  },
) {
  return (
    <g class="grid">
      {yt.map((v) => (
        <g>
          <line x1={f.l} x2={f.w - f.r} y1={sy(v)} y2={sy(v)} />
          <text class="axis-label" x={f.l - 8} y={sy(v) + 4} text-anchor="end">
            {yFormat(v)}
          </text>
        </g>
      ))}
      {children}
    </g>
  );
}

/** One label under the plot area, centred on `x`. */
export function XLabel(
  { f, x, children }: { f: Frame; x: number; children: ComponentChildren },
) {
  return (
    <text class="axis-label" x={x} y={f.h - f.b + 18} text-anchor="middle">
      {children}
    </text>
  );
}

/** The titles of both axes: under the plot, and rotated along the left edge. */
export function AxisTitles(
  { f, x, y }: { f: Frame; x: string; y: string },
) {
  return (
    <>
      <text
        class="axis-title"
        x={(f.w + f.l) / 2}
        y={f.h - 6}
        text-anchor="middle"
      >
        {x}
      </text>
      <text
        class="axis-title"
        transform={`translate(14 ${(f.h - f.b + f.t) / 2}) rotate(-90)`}
        text-anchor="middle"
      >
        {y}
      </text>
    </>
  );
}

/** A legend: one colored key per class (see `.key.<cls>` in style.css), then `children`. */
export function Legend(
  { keys, caption, children }: {
    keys: Array<{ cls: string; label: string }>;
    /** Render as the `<figcaption>` of a `<figure>`. */
    caption?: boolean;
    children?: ComponentChildren;
  },
) {
  const items = keys.map((k, i) => (
    <Fragment key={k.label}>
      {i > 0 && " "}
      <span class={`key ${k.cls}`}>{k.label}</span>
    </Fragment>
  ));
  return caption
    ? <figcaption class="legend">{items}{children}</figcaption>
    : <p class="legend">{items}{children}</p>;
}
