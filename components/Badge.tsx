/** A colored recommendation badge (shared by pages and islands). */
import type { Recommendation } from "../lib/dashboard/types.ts";

const LABEL: Record<Recommendation, string> = {
  raise: "▲ Raise",
  lower: "▼ Lower",
  hold: "● Hold",
};

export function Badge({ rec }: { rec: Recommendation | null }) {
  if (!rec) return <span class="badge none">No data</span>;
  return <span class={`badge ${rec}`}>{LABEL[rec]}</span>;
}
