/**
 * A grid of colored cells with the value in each, rows × columns. Cell colors
 * are inline because their intensity is data.
 */
import { ChartSvg } from "./charts.tsx";

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

const MAX_W = 900, R = 16, T = 12, CELL_H = 26;

/** Where the cells go: column width, head height, and the top of row `i`. */
interface Geometry {
  lw: number;
  cw: number;
  head: number;
}

const rowTop = (g: Geometry, i: number) => T + g.head + i * CELL_H;

/** The cell color: stronger with |v| relative to the largest |v| on the grid. */
function fillOf(v: number, max: number, diverging?: boolean): string {
  const a = (0.12 + 0.78 * Math.abs(v) / max).toFixed(2);
  if (!diverging) return `rgba(79, 70, 229, ${a})`;
  return v > 0
    ? `rgba(220, 38, 38, ${a})`
    : v < 0
    ? `rgba(5, 150, 105, ${a})`
    : "#f1f5f9";
}

function ColumnLabel(
  { g, j, label, slant }: {
    g: Geometry;
    j: number;
    label: string;
    slant?: boolean;
  },
) {
  const x = g.lw + j * g.cw + g.cw / 2;
  return slant
    ? (
      <text
        class="axis-label"
        transform={`translate(${x - 4} ${T + g.head - 6}) rotate(-50)`}
      >
        {label}
      </text>
    )
    : (
      <text class="axis-label" x={x} y={T + 8} text-anchor="middle">
        {label}
      </text>
    );
}

function Cell(
  { g, i, j, label, v, fill, format }: {
    g: Geometry;
    i: number;
    j: number;
    label: string;
    v: number | null;
    fill: (v: number) => string;
    format: (n: number) => string;
  },
) {
  const x = g.lw + j * g.cw, y = rowTop(g, i);
  return (
    <g>
      <rect
        x={x + 1}
        y={y + 1}
        width={g.cw - 2}
        height={CELL_H - 2}
        rx="3"
        style={`fill: ${v === null ? "#f8fafc" : fill(v)}`}
      >
        <title>{`${label}: ${v === null ? "no data" : format(v)}`}</title>
      </rect>
      {v !== null && g.cw >= 40 && (
        <text
          class="value-label"
          x={x + g.cw / 2}
          y={y + 17}
          text-anchor="middle"
        >
          {format(v)}
        </text>
      )}
    </g>
  );
}

/** Row `i`: its label, then one cell per column. */
function Row(
  { g, i, label, cols, value, fill, format }: {
    g: Geometry;
    i: number;
    label: string;
    cols: string[];
    value: (col: number) => number | null;
    fill: (v: number) => string;
    format: (n: number) => string;
  },
) {
  return (
    <g>
      <text
        class="axis-label"
        x={g.lw - 8}
        y={rowTop(g, i) + 17}
        text-anchor="end"
      >
        {label}
      </text>
      {cols.map((c, j) => (
        <Cell
          g={g}
          i={i}
          j={j}
          label={`${label} × ${c}`}
          v={value(j)}
          fill={fill}
          format={format}
        />
      ))}
    </g>
  );
}

export function HeatGrid(
  { title, rows, cols, value, format, diverging, labelWidth = 110, slantCols }:
    HeatGridProps,
) {
  const cw = Math.max(
    24,
    Math.min(70, (MAX_W - labelWidth - R) / Math.max(1, cols.length)),
  );
  const g: Geometry = { lw: labelWidth, cw, head: slantCols ? 64 : 20 };
  const values = rows.flatMap((_, r) => cols.map((_, c) => value(r, c)));
  const max = Math.max(
    1e-9,
    ...values.filter((v): v is number => v !== null).map(Math.abs),
  );
  const fill = (v: number) => fillOf(v, max, diverging);
  return (
    <ChartSvg
      cls="chart heat-grid"
      w={labelWidth + cols.length * cw + R}
      h={T + g.head + rows.length * CELL_H + 8}
      title={title}
    >
      {cols.map((c, j) => (
        <ColumnLabel g={g} j={j} label={c} slant={slantCols} />
      ))}
      {rows.map((r, i) => (
        <Row
          g={g}
          i={i}
          label={r}
          cols={cols}
          value={(j) => value(i, j)}
          fill={fill}
          format={format}
        />
      ))}
    </ChartSvg>
  );
}
