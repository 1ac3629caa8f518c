/**
 * Panels and empty states. Kept apart from Layout.tsx (which reads the
 * static files' hashes on the server) so islands can use them in the browser.
 */
import type { ComponentChildren } from "preact";

/** A titled panel. */
export function Panel(
  { title, note, children, wide }: {
    title: string;
    note?: string;
    children: ComponentChildren;
    wide?: boolean;
  },
) {
  return (
    <section class={wide ? "panel wide" : "panel"}>
      <div class="panel-head">
        <h2>{title}</h2>
        {note && <span class="muted">{note}</span>}
      </div>
      {children}
    </section>
  );
}

/** What a panel shows before there is data. */
export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}
