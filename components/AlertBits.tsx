/** Small pieces the alerts page and its island share (so they render the same in both). */

/** `2026-11-25 14:03` (UTC), the way every page writes times. */
export function when(t: string | Date | null): string {
  // A Date where the live list's JSON was revived (islands/use_live.ts).
  const iso = t instanceof Date ? t.toISOString() : t;
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
