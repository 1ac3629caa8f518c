/**
 * A scatter plot with labelled axes and a vertical line at x = 0. Each point
 * has a shape as well as a colour (see {@linkcode SHAPES}), so a category can
 * be told without colour vision.
 */
import {
  ChartData,
  ChartFigure,
  pct,
  scale,
  ticks,
  WIDE as F,
} from "./charts.tsx";

export interface Point {
  x: number;
  y: number;
  /** The tooltip: the point's name and figures. */
  label: string;
  /** The point's name alone, for the data table (default: the label). */
  name?: string;
  cls: string;
  href?: string;
}

/** Mark shapes centred on 0,0, by class: ▲ raise, ▼ lower, ● hold, ■ anything else. */
export const SHAPES: Record<string, string> = {
  raise: "M0,-6L6,5H-6Z",
  lower: "M0,6L6,-5H-6Z",
  hold: "M-5,0A5,5 0 1,0 5,0A5,5 0 1,0 -5,0Z",
  none: "M-4,-4H4V4H-4Z",
};

const round1 = (n: number) => Math.round(n * 10) / 10;

/** One mark, placed by a nested SVG so it can sit at a percentage without stretching. */
function Mark({ p, x, y }: { p: Point; x: number; y: number }) {
  const mark = (
    <svg x={pct(x)} y={y} overflow="visible" class="mark-at">
      <path class={`mark ${p.cls}`} d={SHAPES[p.cls] ?? SHAPES.none}>
        <title>{p.label}</title>
      </path>
    </svg>
  );
  return p.href ? <a href={p.href}>{mark}</a> : mark;
}

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
  const sx = scale(xt[0]!, xt[xt.length - 1]!, 0, 100);
  const sy = scale(0, yt[yt.length - 1]!, F.h - F.b, F.t);
  return (
    <ChartFigure
      title={title}
      f={F}
      yt={yt}
      sy={sy}
      yFormat={yFormat}
      yTitle={yLabel}
      xTitle={xLabel}
      xt={xt.map((v) => ({ x: sx(v), label: xFormat(v) }))}
      after={
        <ChartData
          caption={title}
          head={["Point", xLabel, yLabel]}
          rows={points.map((p) => [
            p.name ?? p.label,
            xFormat(round1(p.x)),
            yFormat(round1(p.y)),
          ])}
        />
      }
    >
      <line
        class="zero"
        x1={pct(sx(0))}
        x2={pct(sx(0))}
        y1={F.t}
        y2={F.h - F.b}
      />
      {points.map((p) => <Mark key={p.label} p={p} x={sx(p.x)} y={sy(p.y)} />)}
    </ChartFigure>
  );
}
