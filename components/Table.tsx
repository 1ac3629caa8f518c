/**
 * The frame every data table sits in: a labelled, focusable region (so a
 * keyboard can scroll it) that scrolls sideways when the table is wider
 * than the page, keeping the first column in place (sticky, style.css). A
 * table that does overflow says so above itself: the line is in every
 * frame and style.css shows it only while the frame can scroll (a scroll
 * timeline is active only on a box that overflows), so the hint is never
 * missing where it is needed and never there when it is not.
 */
import type { ComponentChildren } from "preact";

export function TableWrap(
  { label, columns, cards, children }: {
    /** What the table holds, for screen readers ("Stock movements"). */
    label: string;
    /** How many columns the table has (the hint names it). */
    columns: number;
    /** The table turns into cards on a phone (style.css). */
    cards?: boolean;
    children: ComponentChildren;
  },
) {
  return (
    <div
      class={cards ? "table-wrap cards" : "table-wrap"}
      role="region"
      aria-label={label}
      tabindex={0}
    >
      <p class="scroll-hint" aria-hidden="true">
        Swipe or scroll sideways for all {columns} columns →
      </p>
      {children}
    </div>
  );
}

/** A table's header row: the first column is a label, the others are numbers (right-aligned). */
export function HeadRow({ head }: { head: readonly string[] }) {
  return (
    <tr>
      {head.map((h, i) => (
        <th key={h} scope="col" class={i > 0 ? "num" : undefined}>{h}</th>
      ))}
    </tr>
  );
}

/** A column heading; `{label, num: true}` right-aligns a column of numbers. */
export type Column = string | { label: string; num: true };

/** A data table in its frame: the headings, then `children` as the body's rows. */
export function DataTable(
  { label, id, columns, children }: {
    /** What the table holds, for screen readers. */
    label: string;
    id?: string;
    columns: readonly Column[];
    children: ComponentChildren;
  },
) {
  return (
    <TableWrap label={label} columns={columns.length}>
      <table class="data" id={id}>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === "string"
                ? <th key={c} scope="col">{c}</th>
                : <th key={c.label} scope="col" class="num">{c.label}</th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableWrap>
  );
}
