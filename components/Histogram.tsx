/** Vertical bars over consecutive bins, labelled with their lower edges. */
import {
  AxisTitles,
  ChartSvg,
  type Frame,
  Grid,
  scale,
  ticks,
  XLabel,
} from "./charts.tsx";

export interface Bin {
  from: number;
  to: number;
  count: number;
}

const F: Frame = { w: 900, h: 230, l: 64, r: 16, t: 12, b: 40 };

/** Label at most about a dozen bins, so the labels never overlap. */
const MAX_LABELS = 12;

/** One bin: red at or above zero (we are dearer), green below. */
function Column(
  { b, x, width, sy, label, xFormat }: {
    b: Bin;
    x: number;
    width: number;
    sy: (v: number) => number;
    label: boolean;
    xFormat: (n: number) => string;
  },
) {
  return (
    <g class={b.from >= 0 ? "bar hist-above" : "bar hist-below"}>
      <rect
        x={x + 1}
        y={sy(b.count)}
        width={Math.max(1, width - 2)}
        height={F.h - F.b - sy(b.count)}
        style={b.from >= 0 ? "fill: var(--bad)" : "fill: var(--good)"}
      >
        <title>
          {`${xFormat(b.from)} to ${xFormat(b.to)}: ${b.count} observations`}
        </title>
      </rect>
      {label && <XLabel f={F} x={x}>{xFormat(b.from)}</XLabel>}
    </g>
  );
}

export function Histogram(
  { bins, title, xLabel, yLabel, xFormat }: {
    bins: Bin[];
    title: string;
    xLabel: string;
    yLabel: string;
    xFormat: (n: number) => string;
  },
) {
  const yt = ticks(0, Math.max(1, ...bins.map((b) => b.count)), 4);
  const sy = scale(0, yt[yt.length - 1]!, F.h - F.b, F.t);
  const bw = (F.w - F.l - F.r) / Math.max(1, bins.length);
  const every = Math.ceil(bins.length / MAX_LABELS);
  return (
    <ChartSvg w={F.w} h={F.h} title={title}>
      <Grid f={F} yt={yt} sy={sy} yFormat={String} />
      {bins.map((b, i) => (
        <Column
          b={b}
          x={F.l + i * bw}
          width={bw}
          sy={sy}
          label={i % every === 0}
          xFormat={xFormat}
        />
      ))}
      <AxisTitles f={F} x={xLabel} y={yLabel} />
    </ChartSvg>
  );
}
