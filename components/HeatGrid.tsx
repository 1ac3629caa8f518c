/**
 * A grid of coloured cells with the value written in each, rows × columns,
 * as an HTML table: every value is readable without hovering, on any screen
 * and by a screen reader. Colours are light tints (at most half strength),
 * so the dark text in them always keeps a contrast above 4.5:1; the tint is
 * inline because its strength is data.
 */
import { TableWrap } from "./Table.tsx";

export interface HeatGridProps {
  title: string;
  rows: string[];
  cols: string[];
  /** Value of a cell; null draws it empty. */
  value: (row: number, col: number) => number | null;
  format: (n: number) => string;
  /** Diverging: negative green, positive red (price gaps); otherwise one blue scale from 0. */
  diverging?: boolean;
  /** Heading of the row-label column. */
  corner?: string;
}

/** The cell tint: stronger with |v| relative to the largest |v| on the grid. */
export function fillOf(v: number, max: number, diverging?: boolean): string {
  const a = (0.06 + 0.44 * Math.abs(v) / max).toFixed(2);
  if (!diverging) return `rgba(79, 70, 229, ${a})`;
  return v > 0
    ? `rgba(220, 38, 38, ${a})`
    : v < 0
    ? `rgba(5, 150, 105, ${a})`
    : "#f1f5f9";
}

export function HeatGrid(
  { title, rows, cols, value, format, diverging, corner = "" }: HeatGridProps,
) {
  const values = rows.flatMap((_, r) => cols.map((_, c) => value(r, c)));
  const max = Math.max(
    1e-9,
    ...values.filter((v): v is number => v !== null).map(Math.abs),
  );
  return (
    <TableWrap label={title} columns={cols.length + 1}>
      <table class="heat">
        <caption class="sr-only">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{corner}</th>
            {cols.map((c) => <th key={c} scope="col">{c}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr>
              <th scope="row">{r}</th>
              {cols.map((_, j) => {
                const v = value(i, j);
                return v === null ? <td key={j} class="empty-cell">–</td> : (
                  <td
                    key={j}
                    style={`background: ${fillOf(v, max, diverging)}`}
                  >
                    {format(v)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
