/**
 * One EventSource per browser tab, shared by every island on the page (code
 * splitting puts this module in a shared chunk, so it is a singleton). It
 * reconnects by itself; islands read its state and the latest snapshot.
 */
import { useEffect, useState } from "preact/hooks";
import { deserializeProps } from "../lib/islands/serialize.ts";
import type { LiveSnapshot } from "../lib/dashboard/types.ts";

export type LiveState = "connecting" | "live" | "down";

interface Live {
  state: LiveState;
  snapshot: LiveSnapshot | null;
  /** Snapshots received since the page loaded. */
  updates: number;
}

let current: Live = { state: "connecting", snapshot: null, updates: 0 };
const listeners = new Set<(l: Live) => void>();
let source: EventSource | null = null;
let retry: ReturnType<typeof setTimeout> | undefined;

function set(patch: Partial<Live>): void {
  current = { ...current, ...patch };
  for (const fn of listeners) fn(current);
}

function connect(): void {
  source = new EventSource("/api/live");
  source.onopen = () => set({ state: "live" });
  source.onerror = () => {
    set({ state: "down" });
    // The browser retries by itself unless the server answered with an error.
    if (source?.readyState === EventSource.CLOSED) {
      source.close();
      clearTimeout(retry);
      retry = setTimeout(connect, 3000);
    }
  };
  source.addEventListener("snapshot", (e) => {
    const snapshot = deserializeProps(
      (e as MessageEvent).data,
    ) as unknown as LiveSnapshot;
    set({ state: "live", snapshot, updates: current.updates + 1 });
  });
  source.addEventListener("status", () => set({ state: "down" }));
}

/** The shared live feed's state; opens the connection on first use. */
export function useLive(): Live {
  const [live, setLive] = useState(current);
  useEffect(() => {
    listeners.add(setLive);
    if (!source) connect();
    setLive(current);
    return () => void listeners.delete(setLive);
  }, []);
  return live;
}
