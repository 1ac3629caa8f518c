/**
 * Charts as plain SVG rendered on the server: no library, no JavaScript, the
 * same look everywhere. Colors come from classes in static/style.css.
 */
import { clock } from "../lib/web/format.ts";

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

export interface Bar {
  label: string;
  value: number;
  href?: string;
  tone?: string;
}

/** Horizontal bars with the formatted value at the end of each. */
export function BarChart(
  { bars, format, title }: {
    bars: Bar[];
    format: (n: number) => string;
    title: string;
  },
) {
  const max = Math.max(...bars.map((b) => b.value), 0) || 1;
  const rowH = 30;
  const h = bars.length * rowH + 8;
  return (
    <svg
      class="chart bar-chart"
      viewBox={`0 0 480 ${h}`}
      role="img"
      aria-label={title}
    >
      <title>{title}</title>
      {bars.map((b, i) => {
        const y = i * rowH + 4;
        const w = Math.max(2, (b.value / max) * 230);
        return (
          <g class={b.tone ? `bar ${b.tone}` : "bar"}>
            <text x="120" y={y + 19} text-anchor="end" class="axis-label">
              {b.label}
            </text>
            <rect x="130" y={y + 4} width={w} height={rowH - 10} rx="3" />
            <text x={138 + w} y={y + 19} class="value-label">
              {format(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export interface Point {
  x: number;
  y: number;
  label: string;
  cls: string;
  href?: string;
}

const W = 900, H = 340, L = 72, R = 16, T = 16, B = 44;

/** A scatter plot with labelled axes and a vertical line at x = 0. */
export function ScatterChart(
  { points, xLabel, yLabel, xFormat, yFormat, title }: {
    points: Point[];
    xLabel: string;
    yLabel: string;
    xFormat: (n: number) => string;
    yFormat: (n: number) => string;
    title: string;
  },
) {
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  const xt = ticks(Math.min(0, ...xs), Math.max(0, ...xs), 6);
  const yt = ticks(0, Math.max(1, ...ys), 4);
  const x0 = xt[0]!, x1 = xt[xt.length - 1]!, y1 = yt[yt.length - 1]!;
  const sx = (x: number) => L + ((x - x0) / (x1 - x0 || 1)) * (W - L - R);
  const sy = (y: number) => H - B - (y / (y1 || 1)) * (H - T - B);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      <Grid
        xt={xt}
        yt={yt}
        sx={sx}
        sy={sy}
        xFormat={xFormat}
        yFormat={yFormat}
      />
      <line class="zero" x1={sx(0)} x2={sx(0)} y1={T} y2={H - B} />
      <text class="axis-title" x={(W + L) / 2} y={H - 6} text-anchor="middle">
        {xLabel}
      </text>
      <text
        class="axis-title"
        transform={`translate(14 ${(H - B + T) / 2}) rotate(-90)`}
        text-anchor="middle"
      >
        {yLabel}
      </text>
      {points.map((p) => {
        const dot = (
          <circle class={`dot ${p.cls}`} cx={sx(p.x)} cy={sy(p.y)} r="6">
            <title>{p.label}</title>
          </circle>
        );
        return p.href ? <a key={p.href} href={p.href}>{dot}</a> : dot;
      })}
    </svg>
  );
}

function Grid(
  { xt, yt, sx, sy, xFormat, yFormat }: {
    xt: number[];
    yt: number[];
    sx: (n: number) => number;
    sy: (n: number) => number;
    xFormat: (n: number) => string;
    yFormat: (n: number) => string;
  },
) {
  return (
    <g class="grid">
      {yt.map((v) => (
        <g>
          <line x1={L} x2={W - R} y1={sy(v)} y2={sy(v)} />
          <text class="axis-label" x={L - 8} y={sy(v) + 4} text-anchor="end">
            {yFormat(v)}
          </text>
        </g>
      ))}
      {xt.map((v) => (
        <text class="axis-label" x={sx(v)} y={H - B + 18} text-anchor="middle">
          {xFormat(v)}
        </text>
      ))}
    </g>
  );
}

export interface Series {
  name: string;
  cls: string;
  points: { at: Date; value: number }[];
  /** Draw as a step line (prices hold until they change). */
  step?: boolean;
}

/** Lines over time (UTC), with a legend. */
export function LineChart(
  { series, yFormat, title }: {
    series: Series[];
    yFormat: (n: number) => string;
    title: string;
  },
) {
  const all = series.flatMap((s) => s.points);
  const t1 = Math.max(...all.map((p) => p.at.getTime()));
  // At least a minute wide, so a fresh product's first observations are readable.
  const t0 = Math.min(t1 - 60_000, ...all.map((p) => p.at.getTime()));
  const vs = all.map((p) => p.value);
  const yt = ticks(Math.min(...vs) * 0.98, Math.max(...vs) * 1.02, 4);
  const lo = yt[0]!, hi = yt[yt.length - 1]!;
  const sx = (t: number) => L + ((t - t0) / (t1 - t0 || 1)) * (W - L - R);
  const sy = (v: number) => H - B - ((v - lo) / (hi - lo || 1)) * (H - T - B);
  const xt = [0, 0.25, 0.5, 0.75, 1].map((f) => t0 + f * (t1 - t0));
  const path = (s: Series) =>
    s.points.map((p, i) => {
      const x = sx(p.at.getTime()).toFixed(1), y = sy(p.value).toFixed(1);
      if (i === 0) return `M${x},${y}`;
      return s.step ? `H${x}V${y}` : `L${x},${y}`;
    }).join("") + (s.step ? `H${sx(t1).toFixed(1)}` : ""); // a price holds until it changes
  return (
    <figure class="line-chart">
      <svg
        class="chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={title}
      >
        <title>{title}</title>
        <g class="grid">
          {yt.map((v) => (
            <g>
              <line x1={L} x2={W - R} y1={sy(v)} y2={sy(v)} />
              <text
                class="axis-label"
                x={L - 8}
                y={sy(v) + 4}
                text-anchor="end"
              >
                {yFormat(v)}
              </text>
            </g>
          ))}
          {xt.map((t) => (
            <text
              class="axis-label"
              x={sx(t)}
              y={H - B + 18}
              text-anchor="middle"
            >
              {clock(new Date(t))}
            </text>
          ))}
        </g>
        {series.map((s) => (
          <g key={s.name} class={`series ${s.cls}`}>
            <path class={`line ${s.cls}`} d={path(s)} />
            {s.points.length <= 60 &&
              s.points.map((p) => (
                <circle
                  class={`pt ${s.cls}`}
                  cx={sx(p.at.getTime())}
                  cy={sy(p.value)}
                  r="3"
                >
                  <title>
                    {`${s.name}: ${yFormat(p.value)} at ${clock(p.at)} UTC`}
                  </title>
                </circle>
              ))}
          </g>
        ))}
      </svg>
      <figcaption class="legend">
        {series.map((s) => (
          <span key={s.name} class={`key ${s.cls}`}>{s.name}</span>
        ))}
      </figcaption>
    </figure>
  );
}
