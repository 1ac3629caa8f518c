/**
 * Event-loop delay measured with a timer: prom-client's own monitor relies on
 * `perf_hooks.monitorEventLoopDelay`, which does not see blocked loops under
 * Deno, so a 100 ms interval records how late it fires instead.
 */
import type { Metrics } from "./definitions.ts";

const TICK_MS = 100;
const WINDOW_TICKS = 50;

/** Starts measuring; returns the stop function. */
export function monitorEventLoop(m: Metrics): () => void {
  const recent: number[] = [];
  let expected = performance.now() + TICK_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    const delay = Math.max(now - expected, 0) / 1000;
    expected = now + TICK_MS;
    m.loopDelay.observe(delay);
    recent.push(delay);
    if (recent.length > WINDOW_TICKS) recent.shift();
    m.loopLag.set(Math.max(...recent));
  }, TICK_MS);
  // Measuring must never keep a finished process alive.
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}
