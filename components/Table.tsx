/**
 * The frame every data table sits in. On a narrow screen a table keeps its
 * first column in place (sticky, in style.css) and scrolls sideways inside
 * its own box; a table with many columns says so above itself, so nobody
 * mistakes the first three columns for all there is. The box is a labelled,
 * focusable region, so a keyboard can scroll it too.
 */
import type { ComponentChildren } from "preact";

/** Columns beyond which a table may not fit a phone, so it carries the hint. */
const HINT_FROM_COLUMNS = 4;

export function TableWrap(
  { label, columns, cards, children }: {
    /** What the table holds, for screen readers ("Stock movements"). */
    label: string;
    /** How many columns the table has. */
    columns: number;
    /** The table turns into cards on a phone (so it needs no hint there). */
    cards?: boolean;
    children: ComponentChildren;
  },
) {
  const scrolls = columns > HINT_FROM_COLUMNS;
  return (
    <div
      class={cards ? "table-box cards" : "table-box"}
      data-scrolls={scrolls ? "" : undefined}
    >
      {scrolls && (
        <p class="scroll-hint" aria-hidden="true">
          Swipe the table sideways for all {columns} columns →
        </p>
      )}
      <div class="table-wrap" role="region" aria-label={label} tabindex={0}>
        {children}
      </div>
    </div>
  );
}
