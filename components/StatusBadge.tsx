/** A recommendation's status as a labelled badge (shared by pages and islands). */

const LABEL: Record<string, string> = {
  pending: "Awaiting approval",
  approved: "Approved",
  applied: "Applied",
  auto_applied: "Auto-applied",
  rejected: "Rejected",
  expired: "Expired",
  no_change: "No change",
};

/** The status in words, never by colour alone. */
export function StatusBadge({ status }: { status: string | null }) {
  if (!status) return <span class="status-badge none">—</span>;
  return <span class={`status-badge ${status}`}>{LABEL[status] ?? status}
  </span>;
}
