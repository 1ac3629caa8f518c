/**
 * Horizontal bars with the formatted value after each, as an HTML table: the
 * labels wrap instead of being cut off, the text keeps its size on any
 * screen, and a screen reader reads label and value as a table row.
 */
export interface Bar {
  label: string;
  value: number;
  href?: string;
  tone?: string;
  /** Said after the value, for what the tone shows ("steepest drop"). */
  note?: string;
}

export function BarChart(
  { bars, format, title }: {
    bars: Bar[];
    format: (n: number) => string;
    title: string;
  },
) {
  const max = Math.max(...bars.map((b) => b.value), 0) || 1;
  return (
    <table class="bar-chart">
      <caption class="sr-only">{title}</caption>
      <tbody>
        {bars.map((b) => (
          <tr class={b.tone ? `bar ${b.tone}` : "bar"}>
            <th scope="row">
              {b.href ? <a href={b.href}>{b.label}</a> : b.label}
            </th>
            <td>
              <div class="bar-cell">
                <span class="bar-track" aria-hidden="true">
                  <span
                    class="bar-fill"
                    style={`width: ${
                      Math.max(0.5, (b.value / max) * 100).toFixed(1)
                    }%`}
                  />
                </span>
                <span class="bar-value">
                  {format(b.value)}
                  {b.note && <span class="bar-note">{` · ${b.note}`}</span>}
                </span>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
