/** The live indicator in the top bar: live, connecting or disconnected. */
import { island } from "../lib/islands/island.ts";
import { clock } from "../lib/format.ts";
import { useLive } from "./use_live.ts";

const TEXT = {
  connecting: "Connecting…",
  live: "Live",
  down: "Disconnected · retrying",
};

function LiveStatus() {
  const { state, snapshot } = useLive();
  return (
    <span
      class={`live-status ${state}`}
      data-live-state={state}
      role="status"
      aria-live="polite"
    >
      <span class="dot" aria-hidden="true" />
      {TEXT[state]}
      {state === "live" && snapshot && (
        <span class="muted">· {clock(snapshot.kpis.at)} UTC</span>
      )}
    </span>
  );
}

export default island("LiveStatus", LiveStatus);
