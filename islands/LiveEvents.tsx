/** The last events of all streams, replaced as the shared live feed pushes. */
import { useRef } from "preact/hooks";
import { island } from "../lib/islands/island.ts";
import type { ActivityEvent } from "../lib/dashboard/types.ts";
import { clock, count, money } from "../lib/format.ts";
import { useLive } from "./use_live.ts";
import { TableWrap } from "../components/Table.tsx";

function amount(e: ActivityEvent): string {
  if (e.amount === null) return "—";
  if (e.stream === "inventory") {
    return `${e.amount > 0 ? "+" : ""}${count(e.amount)} units`;
  }
  return money(e.amount);
}

function LiveEvents(
  { initial, limit }: { initial: ActivityEvent[]; limit: number },
) {
  const { snapshot } = useLive();
  const events = (snapshot?.recent ?? initial).slice(0, limit);
  // Rows not seen before are highlighted once, so new arrivals catch the eye.
  const seen = useRef<Set<string> | null>(null);
  const known = seen.current ?? new Set(initial.map((e) => e.eventId));
  seen.current = new Set(events.map((e) => e.eventId));
  if (events.length === 0) {
    return (
      <p class="empty">
        No events yet. Start the generators (deno task start) and they appear
        here.
      </p>
    );
  }
  return (
    <TableWrap label="Latest events" columns={6}>
      <table class="data live-events">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Stream</th>
            <th>Event</th>
            <th>Product</th>
            <th>Device / warehouse / competitor</th>
            <th class="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr
              key={e.eventId}
              data-event-id={e.eventId}
              class={known.has(e.eventId) ? undefined : "new"}
            >
              <td class="mono">{clock(e.at)}</td>
              <td>
                <span class={`stream ${e.stream}`}>{e.stream}</span>
              </td>
              <td>{e.type.replaceAll("_", " ")}</td>
              <td>{e.productName ?? <span class="muted">—</span>}</td>
              <td>{e.where ?? "—"}</td>
              <td class="num">{amount(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export default island("LiveEvents", LiveEvents);
