/**
 * Vertical bars over consecutive bins, labelled with their lower edges. Bins
 * at or above zero are red and hatched, bins below are green and plain, and
 * the zero line with its two captions says which side is which, so the
 * colour is never the only cue.
 */
import {
  ChartData,
  ChartFigure,
  type Frame,
  pct,
  scale,
  ticks,
  type XTick,
} from "./charts.tsx";

export interface Bin {
  from: number;
  to: number;
  count: number;
}

const F: Frame = { h: 230, t: 12, b: 26, yAxis: 56 };

/** Label at most about a dozen bins, so the labels never overlap. */
const MAX_LABELS = 12;

/** One bin: red and hatched at or above zero (we are dearer), green below. */
function Column(
  { b, x, width, sy, xFormat }: {
    b: Bin;
    x: number;
    width: number;
    sy: (v: number) => number;
    xFormat: (n: number) => string;
  },
) {
  const above = b.from >= 0;
  return (
    <rect
      class={above ? "hist hist-above" : "hist hist-below"}
      x={pct(x + width * 0.05)}
      y={sy(b.count)}
      width={pct(width * 0.9)}
      height={Math.max(0, F.h - F.b - sy(b.count))}
    >
      <title>
        {`${xFormat(b.from)} to ${xFormat(b.to)}: ${b.count} observations`}
      </title>
    </rect>
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
  const bw = 100 / Math.max(1, bins.length);
  const every = Math.ceil(bins.length / MAX_LABELS);
  const xt: XTick[] = bins.flatMap((b, i) =>
    i % every === 0 ? [{ x: i * bw, label: xFormat(b.from) }] : []
  );
  const zero = bins.findIndex((b) => b.from >= 0);
  return (
    <ChartFigure
      title={title}
      f={F}
      yt={yt}
      sy={sy}
      yFormat={String}
      yTitle={yLabel}
      xTitle={xLabel}
      xt={xt}
      after={
        <ChartData
          caption={title}
          head={["Bin", yLabel]}
          rows={bins.map((b) => [
            `${xFormat(b.from)} to ${xFormat(b.to)}`,
            b.count,
          ])}
        />
      }
    >
      <defs>
        <pattern
          id="hatch"
          width="6"
          height="6"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <rect width="6" height="6" class="hatch-bg" />
          <line x1="0" y1="0" x2="0" y2="6" class="hatch-line" />
        </pattern>
      </defs>
      {bins.map((b, i) => (
        <Column b={b} x={i * bw} width={bw} sy={sy} xFormat={xFormat} />
      ))}
      {zero > 0 && (
        <line
          class="zero"
          x1={pct(zero * bw)}
          x2={pct(zero * bw)}
          y1={F.t}
          y2={F.h - F.b}
        />
      )}
    </ChartFigure>
  );
}
