/**
 * Lines over time (UTC), with a legend and the numbers as a table. Each
 * series has its own dash as well as its colour, so two lines that lie on
 * top of each other both stay visible, and the legend says which ones do.
 */
import { clock } from "../lib/format.ts";
import {
  ChartData,
  ChartFigure,
  Legend,
  pct,
  scale,
  ticks,
  WIDE as F,
  type XTick,
} from "./charts.tsx";

export interface Series {
  name: string;
  cls: string;
  points: { at: Date; value: number }[];
  /** Draw as a step line (prices hold until they change). */
  step?: boolean;
}

type Scale = (v: number) => number;

/** Inner width of the stretched SVG the lines are drawn in. */
const W = 1000;
/** Rows the data table shows at most (the newest). */
const TABLE_ROWS = 120;

/** The SVG path of one series in the stretched frame; a step line runs on to `end`. */
function pathOf(s: Series, sx: Scale, sy: Scale, end: number): string {
  const x = (t: number) => (sx(t) * W / 100).toFixed(1);
  return s.points.map((p, i) => {
    const px = x(p.at.getTime()), py = sy(p.value).toFixed(1);
    if (i === 0) return `M${px},${py}`;
    return s.step ? `H${px}V${py}` : `L${px},${py}`;
  }).join("") + (s.step ? `H${x(end)}` : "");
}

/** Dots with a tooltip per point, while there are few enough to tell apart. */
function Dots(
  { s, sx, sy, yFormat }: {
    s: Series;
    sx: Scale;
    sy: Scale;
    yFormat: (n: number) => string;
  },
) {
  if (s.points.length > 60) return null;
  return (
    <g class={`series ${s.cls}`}>
      {s.points.map((p) => (
        <circle
          class={`pt ${s.cls}`}
          cx={pct(sx(p.at.getTime()))}
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

/** The value of `s` at time `t`, holding each point until the next (undefined before the first). */
function valueAt(s: Series, t: number): number | undefined {
  let v: number | undefined;
  for (const p of s.points) {
    if (p.at.getTime() > t) break;
    v = p.value;
  }
  return v;
}

/** Share of the time both series exist over which they have the same value. */
export function sharedShare(a: Series, b: Series, end: number): number {
  const start = Math.max(
    a.points[0]?.at.getTime() ?? Infinity,
    b.points[0]?.at.getTime() ?? Infinity,
  );
  if (!(start < end)) return 0;
  const times = [
    ...new Set(
      [...a.points, ...b.points].map((p) => p.at.getTime())
        .filter((t) => t >= start && t < end),
    ),
    start,
  ].sort((x, y) => x - y);
  let same = 0;
  times.forEach((t, i) => {
    const next = times[i + 1] ?? end;
    if (valueAt(a, t) === valueAt(b, t)) same += next - t;
  });
  return same / (end - start);
}

/**
 * Legend labels. A line drawn over an earlier one says so, so no series
 * hides while the legend lists it: "(same as …)" when they coincide, "(partly
 * on top of …)" when they share at least a quarter of the time.
 */
function legendKeys(series: Series[], end: number) {
  return series.map((s, i) => {
    const shares = series.slice(0, i).map((e) => ({
      name: e.name,
      share: sharedShare(e, s, end),
    }));
    const twin = shares.find((x) => x.share >= 0.999);
    const partly = shares.find((x) => x.share >= 0.25);
    const note = twin
      ? ` (same as ${twin.name})`
      : partly
      ? ` (partly on top of ${partly.name})`
      : "";
    return { cls: `${s.cls} dash-${i}`, label: `${s.name}${note}` };
  });
}

/** Five time labels: HH:MM:SS within ten minutes, HH:MM within a day, else MM-DD HH:MM. */
function timeTicks(t0: number, t1: number, sx: Scale): XTick[] {
  const span = t1 - t0;
  const fmt = (t: number) => {
    const iso = new Date(t).toISOString();
    return span <= 600_000
      ? iso.slice(11, 19)
      : span <= 86_400_000
      ? iso.slice(11, 16)
      : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  };
  return [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const t = t0 + f * span;
    return { x: sx(t), label: fmt(t) };
  });
}

/** The points of every series by time, newest first, as table rows. */
function tableRows(series: Series[], yFormat: (n: number) => string) {
  const times = [
    ...new Set(series.flatMap((s) => s.points.map((p) => p.at.getTime()))),
  ].sort((a, b) => b - a);
  const at = series.map((s) =>
    new Map(s.points.map((p) => [p.at.getTime(), p.value]))
  );
  return times.slice(0, TABLE_ROWS).map((t) => [
    `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`,
    ...at.map((m) => (m.has(t) ? yFormat(m.get(t)!) : "—")),
  ]);
}

export function LineChart(
  { series, yFormat, title, yTitle }: {
    series: Series[];
    yFormat: (n: number) => string;
    title: string;
    yTitle?: string;
  },
) {
  const all = series.flatMap((s) => s.points);
  const t1 = Math.max(...all.map((p) => p.at.getTime()));
  // At least a minute wide, so a fresh product's first observations are readable.
  const t0 = Math.min(t1 - 60_000, ...all.map((p) => p.at.getTime()));
  const vs = all.map((p) => p.value);
  const yt = ticks(Math.min(...vs) * 0.98, Math.max(...vs) * 1.02, 4);
  const sx = scale(t0, t1, 0, 100);
  const sy = scale(yt[0]!, yt[yt.length - 1]!, F.h - F.b, F.t);
  const rows = tableRows(series, yFormat);
  return (
    <ChartFigure
      title={title}
      f={F}
      yt={yt}
      sy={sy}
      yFormat={yFormat}
      yTitle={yTitle}
      xt={timeTicks(t0, t1, sx)}
      after={
        <>
          <Legend caption keys={legendKeys(series, t1)} />
          <ChartData
            caption={title}
            head={["Time (UTC)", ...series.map((s) => s.name)]}
            rows={rows}
            note={rows.length === TABLE_ROWS
              ? `The newest ${TABLE_ROWS} times; the JSON API has all.`
              : undefined}
          />
        </>
      }
    >
      <svg
        class="lines"
        width="100%"
        height={F.h}
        viewBox={`0 0 ${W} ${F.h}`}
        preserveAspectRatio="none"
        aria-hidden="true"
      >
        {series.map((s, i) => (
          <path
            class={`line ${s.cls} dash-${i}`}
            d={pathOf(s, sx, sy, t1)}
            vector-effect="non-scaling-stroke"
          />
        ))}
      </svg>
      {series.map((s) => (
        <Dots key={s.name} s={s} sx={sx} sy={sy} yFormat={yFormat} />
      ))}
    </ChartFigure>
  );
}
