/**
 * The one chart kit. Charts with axes (LineChart, ScatterChart, Histogram)
 * are SVG drawn on the server, with no viewBox: the height is fixed in
 * pixels and x positions are percentages of the plot's width, so a chart
 * follows the width of its panel while its text stays 12 px on a phone and a
 * wide screen alike (a scaled viewBox made it 5 px on a phone). Only the data
 * lines sit in a stretched inner SVG, with strokes that do not scale.
 * BarChart and HeatGrid are HTML tables. Every chart carries its numbers as a
 * table too (`ChartData`), and colours come from classes in style.css.
 */
import { type ComponentChildren, Fragment } from "preact";
import { HeadRow, TableWrap } from "./Table.tsx";

/** A chart's vertical geometry in pixels; the width is the panel's. */
export interface Frame {
  /** Height of the whole plot SVG, x labels included. */
  h: number;
  /** Space above the plot area. */
  t: number;
  /** Space below the plot area (the x labels). */
  b: number;
  /** Width of the y-axis column on the left. */
  yAxis: number;
}

/** The frame of the wide charts with axes (lines, scatter). */
export const WIDE: Frame = { h: 300, t: 12, b: 26, yAxis: 72 };

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

/** A percentage of the plot width as an SVG length. */
export const pct = (x: number): string => `${x.toFixed(2)}%`;

/** One x label: anchored inward at the edges so it is never cut off. */
export interface XTick {
  /** Position, percent of the plot width. */
  x: number;
  label: string;
}

function anchorOf(x: number): "start" | "middle" | "end" {
  return x <= 4 ? "start" : x >= 96 ? "end" : "middle";
}

/** Grid lines at the y ticks and the x labels under the plot area. */
function Grid(
  { f, yt, sy, xt }: {
    f: Frame;
    yt: number[];
    sy: (v: number) => number;
    xt: XTick[];
  },
) {
  return (
    <g class="grid">
      {yt.map((v) => <line key={v} x1="0%" x2="100%" y1={sy(v)} y2={sy(v)} />)}
      {xt.map((t, i) => (
        <text
          class={i % 2 === 1 && i !== xt.length - 1
            ? "axis-label x-minor"
            : "axis-label"}
          x={pct(t.x)}
          y={f.h - f.b + 17}
          text-anchor={anchorOf(t.x)}
        >
          {t.label}
        </text>
      ))}
    </g>
  );
}

/** The y axis: tick labels right-aligned against the plot, the title along the edge. */
function YAxis(
  { f, yt, sy, format, title }: {
    f: Frame;
    yt: number[];
    sy: (v: number) => number;
    format: (n: number) => string;
    title?: string;
  },
) {
  return (
    <svg class="chart y-axis" width={f.yAxis} height={f.h} aria-hidden="true">
      {title && (
        <text
          class="axis-title"
          transform={`translate(13 ${(f.h - f.b + f.t) / 2}) rotate(-90)`}
          text-anchor="middle"
        >
          {title}
        </text>
      )}
      {yt.map((v) => (
        <text
          class="axis-label"
          x={f.yAxis - 6}
          y={Math.min(Math.max(sy(v) + 4, 12), f.h - f.b + 4)}
          text-anchor="end"
        >
          {format(v)}
        </text>
      ))}
    </svg>
  );
}

export interface ChartFigureProps {
  title: string;
  f: Frame;
  yt: number[];
  sy: (v: number) => number;
  yFormat: (n: number) => string;
  xt: XTick[];
  xTitle?: string;
  yTitle?: string;
  /** The legend and the data table, under the plot. */
  after?: ComponentChildren;
  /** The marks, drawn over the grid inside the plot SVG. */
  children: ComponentChildren;
}

/** A chart with axes: the y axis column, the plot (grid, marks, x labels), then `after`. */
export function ChartFigure(p: ChartFigureProps) {
  return (
    <figure class="chart-figure">
      <div class="chart-body">
        <YAxis
          f={p.f}
          yt={p.yt}
          sy={p.sy}
          format={p.yFormat}
          title={p.yTitle}
        />
        <svg
          class="chart plot"
          width="100%"
          height={p.f.h}
          role="img"
          aria-label={p.title}
        >
          <title>{p.title}</title>
          <Grid f={p.f} yt={p.yt} sy={p.sy} xt={p.xt} />
          {p.children}
        </svg>
      </div>
      {p.xTitle && <p class="axis-title x-title">{p.xTitle}</p>}
      {p.after}
    </figure>
  );
}

/** A sample of a series' mark for a legend: its line (with its dash) or its shape. */
export function Swatch({ cls, shape }: { cls: string; shape?: string }) {
  return (
    <svg class="swatch" width="22" height="12" aria-hidden="true">
      {shape
        ? <path class={`mark ${cls}`} d={shape} transform="translate(11 6)" />
        : <line class={`line ${cls}`} x1="1" x2="21" y1="6" y2="6" />}
    </svg>
  );
}

/** A legend: one key per series (its line or shape, then its name), then `children`. */
export function Legend(
  { keys, caption, children }: {
    keys: Array<{ cls: string; label: string; shape?: string }>;
    /** Render as the `<figcaption>` of a `<figure>`. */
    caption?: boolean;
    children?: ComponentChildren;
  },
) {
  const items = keys.map((k, i) => (
    <Fragment key={k.label}>
      {i > 0 && " "}
      <span class="legend-key">
        <Swatch cls={k.cls} shape={k.shape} />
        {k.label}
      </span>
    </Fragment>
  ));
  return caption
    ? <figcaption class="legend">{items}{children}</figcaption>
    : <p class="legend">{items}{children}</p>;
}

/**
 * A chart's numbers as a table, behind a "Show the data" toggle: readable by
 * screen readers and on any screen, and what a colour-blind reader checks.
 */
export function ChartData(
  { caption, head, rows, note }: {
    caption: string;
    head: string[];
    rows: Array<Array<string | number>>;
    note?: string;
  },
) {
  return (
    <details class="chart-data">
      <summary>Show the data as a table</summary>
      <TableWrap label={caption} columns={head.length}>
        <table class="data">
          <caption class="sr-only">{caption}</caption>
          <thead>
            <HeadRow head={head} />
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                {r.map((v, i) =>
                  i === 0
                    ? <th key={i} scope="row">{v}</th>
                    : <td key={i} class="num">{v}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {note && <p class="muted">{note}</p>}
    </details>
  );
}
