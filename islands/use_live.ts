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

/** A time as the JSON API writes it (`Date#toJSON`). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

const revive = (_key: string, v: unknown) =>
  typeof v === "string" && ISO_TIME.test(v) ? new Date(v) : v;

/** JSON from the API with its times as Dates, as the server-rendered props have them. */
export function parseApiJson<T>(text: string): T {
  return JSON.parse(text, revive) as T;
}

/** What {@linkcode useLiveJson} holds: the data, when it was last fetched, and whether that failed. */
export interface LiveJson<T> {
  data: T;
  at: Date | null;
  failed: boolean;
}

/**
 * `initial` (what the server rendered), replaced by a fresh copy of `url`,
 * the page's JSON twin, after every live snapshot (that is, after commits)
 * and, with `everyMs`, that often too (for what changes without a commit,
 * such as job runs). The snapshot's commit count and the time bucket go
 * into the URL as `v=`, so every open tab asks the same URL and the
 * server's micro-cache answers them all with one computation.
 */
export function useLiveJson<T>(
  url: string,
  initial: T,
  everyMs?: number,
): LiveJson<T> {
  const { snapshot, updates } = useLive();
  const [state, setState] = useState<LiveJson<T>>({
    data: initial,
    at: null,
    failed: false,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!everyMs) return;
    const timer = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  useEffect(() => {
    // The server-rendered data is current until something changes.
    if (updates === 0 && tick === 0) return;
    const ctrl = new AbortController();
    const u = new URL(url, location.href);
    const bucket = everyMs ? Math.floor(Date.now() / everyMs) : 0;
    u.searchParams.set("v", `${snapshot?.commits ?? 0}-${bucket}`);
    fetch(u, { signal: ctrl.signal, headers: { accept: "application/json" } })
      .then((r) => r.ok ? r.text() : Promise.reject(new Error(`${r.status}`)))
      .then((text) =>
        setState({
          data: parseApiJson<T>(text),
          at: new Date(),
          failed: false,
        })
      )
      .catch(() => {
        if (!ctrl.signal.aborted) setState((s) => ({ ...s, failed: true }));
      });
    return () => ctrl.abort();
  }, [updates, tick, url]);
  return state;
}
