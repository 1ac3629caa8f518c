/** A scatter plot with labelled axes and a vertical line at x = 0. */
import {
  AxisTitles,
  ChartSvg,
  Grid,
  scale,
  ticks,
  WIDE as F,
  XLabel,
} from "./charts.tsx";

export interface Point {
  x: number;
  y: number;
  label: string;
  cls: string;
  href?: string;
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
  const sx = scale(xt[0]!, xt[xt.length - 1]!, F.l, F.w - F.r);
  const sy = scale(0, yt[yt.length - 1]!, F.h - F.b, F.t);
  return (
    <ChartSvg w={F.w} h={F.h} title={title}>
      <Grid f={F} yt={yt} sy={sy} yFormat={yFormat}>
        {xt.map((v) => <XLabel key={v} f={F} x={sx(v)}>{xFormat(v)}</XLabel>)}
      </Grid>
      <line class="zero" x1={sx(0)} x2={sx(0)} y1={F.t} y2={F.h - F.b} />
      <AxisTitles f={F} x={xLabel} y={yLabel} />
      {points.map((p) => {
        const dot = (
          <circle class={`dot ${p.cls}`} cx={sx(p.x)} cy={sy(p.y)} r="6">
            <title>{p.label}</title>
          </circle>
        );
        return p.href ? <a key={p.href} href={p.href}>{dot}</a> : dot;
      })}
    </ChartSvg>
  );
}
