/** Small pieces the alerts page and its island share (so they render the same in both). */

/** `2026-11-25 14:03` (UTC), the way every page writes times. */
export function when(t: Date | null): string {
  const iso = t?.toISOString();
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : "—";
}

/** A severity in words, its colour repeating it. */
export function Severity({ level }: { level: string }) {
  const cls = level === "critical"
    ? "bad"
    : level === "warning"
    ? "warn"
    : "idle";
  return <span class={`state ${cls}`}>{level}</span>;
}
