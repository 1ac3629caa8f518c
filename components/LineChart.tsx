/** Lines over time (UTC), with a legend. */
import { clock } from "../lib/web/format.ts";
import {
  ChartSvg,
  Grid,
  Legend,
  scale,
  ticks,
  WIDE as F,
  XLabel,
} from "./charts.tsx";

export interface Series {
  name: string;
  cls: string;
  points: { at: Date; value: number }[];
  /** Draw as a step line (prices hold until they change). */
  step?: boolean;
}

type Scale = (v: number) => number;

/** The SVG path of one series; a step line runs on to `end`, since a price holds until it changes. */
function pathOf(s: Series, sx: Scale, sy: Scale, end: number): string {
  return s.points.map((p, i) => {
    const x = sx(p.at.getTime()).toFixed(1), y = sy(p.value).toFixed(1);
    if (i === 0) return `M${x},${y}`;
    return s.step ? `H${x}V${y}` : `L${x},${y}`;
  }).join("") + (s.step ? `H${sx(end).toFixed(1)}` : "");
}

/** One series: its line, and a dot with a tooltip per point while there are few. */
function Line(
  { s, sx, sy, end, yFormat }: {
    s: Series;
    sx: Scale;
    sy: Scale;
    end: number;
    yFormat: (n: number) => string;
  },
) {
  return (
    <g class={`series ${s.cls}`}>
      <path class={`line ${s.cls}`} d={pathOf(s, sx, sy, end)} />
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
  );
}

export function LineChart(
  { series, yFormat, title, xFormat = clock }: {
    series: Series[];
    yFormat: (n: number) => string;
    title: string;
    /** Labels of the time axis (default: the UTC clock). */
    xFormat?: (d: Date) => string;
  },
) {
  const all = series.flatMap((s) => s.points);
  const t1 = Math.max(...all.map((p) => p.at.getTime()));
  // At least a minute wide, so a fresh product's first observations are readable.
  const t0 = Math.min(t1 - 60_000, ...all.map((p) => p.at.getTime()));
  const vs = all.map((p) => p.value);
  const yt = ticks(Math.min(...vs) * 0.98, Math.max(...vs) * 1.02, 4);
  const sx = scale(t0, t1, F.l, F.w - F.r);
  const sy = scale(yt[0]!, yt[yt.length - 1]!, F.h - F.b, F.t);
  const xt = [0, 0.25, 0.5, 0.75, 1].map((f) => t0 + f * (t1 - t0));
  return (
    <figure class="line-chart">
      <ChartSvg w={F.w} h={F.h} title={title}>
        <Grid f={F} yt={yt} sy={sy} yFormat={yFormat}>
          {xt.map((t) => (
            <XLabel key={t} f={F} x={sx(t)}>{xFormat(new Date(t))}</XLabel>
          ))}
        </Grid>
        {series.map((s) => (
          <Line key={s.name} s={s} sx={sx} sy={sy} end={t1} yFormat={yFormat} />
        ))}
      </ChartSvg>
      <Legend
        caption
        keys={series.map((s) => ({ cls: s.cls, label: s.name }))}
      />
    </figure>
  );
}
