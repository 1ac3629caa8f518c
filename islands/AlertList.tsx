/**
 * The firing alerts, most recent first, each with Acknowledge: an
 * acknowledged alert stays until it clears but is no longer repeated to the
 * channels. The API token is asked for once per tab (api_token.tsx). Live:
 * the list is fetched again from `GET /api/alerts` after commits and every
 * 30 s (the rules run every minute), so an alert appears and clears without
 * a reload.
 */
import { useState } from "preact/hooks";
import { DataTable } from "../components/Table.tsx";
import { island } from "../lib/islands/island.ts";
import type { AlertRow } from "../lib/alerts/types.ts";
import { clock } from "../lib/format.ts";
import { TokenForm, useToken } from "./api_token.tsx";
import { parseApiJson, useLiveJson } from "./use_live.ts";
import { Severity, when } from "../components/AlertBits.tsx";

/** How often the list is fetched again without a commit. */
const EVERY_MS = 30_000;

export interface AlertListProps {
  alerts: AlertRow[];
  /** False when API_TOKEN is unset: the write endpoints are off. */
  enabled: boolean;
}

async function acknowledge(id: number, token: string) {
  const res = await fetch(`/api/alerts/${id}/acknowledge`, {
    method: "POST",
    headers: {
      "Authorization": `Bearer ${token}`,
      "Content-Type": "application/json",
    },
    body: "{}",
  });
  const text = await res.text().catch(() => "");
  let body: Partial<AlertRow> & { error?: string } = {};
  try {
    body = parseApiJson(text);
  } catch { /* not JSON: the status says what happened */ }
  return { status: res.status, body };
}

function Row(
  { a, token, onAcked, onRefused }: {
    a: AlertRow;
    token: string | null;
    onAcked: (a: AlertRow) => void;
    onRefused: () => void;
  },
) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const act = async () => {
    if (!token) return;
    setBusy(true);
    const r = await acknowledge(a.alert_id, token).catch(() => ({
      status: 0,
      body: { error: "The request failed" },
    }));
    setBusy(false);
    if (r.status === 401) return onRefused();
    if (r.status === 200) onAcked({ ...a, ...r.body } as AlertRow);
    else setFailed(r.body.error ?? `Failed (HTTP ${r.status})`);
  };
  return (
    <tr data-alert={a.alert_id}>
      <th scope="row">{a.title}</th>
      <td class="wrap">{a.message}</td>
      <td class="mono">{a.subject}</td>
      <td>
        <Severity level={a.severity} />
      </td>
      <td>{when(a.fired_at)}</td>
      <td>
        {a.acknowledged_at
          ? <span class="muted">Acknowledged by {a.acknowledged_by}</span>
          : (
            <button
              class="btn"
              type="button"
              disabled={busy || !token}
              onClick={act}
            >
              Acknowledge
            </button>
          )}
        {failed && <p class="notice error" role="alert">{failed}</p>}
      </td>
    </tr>
  );
}

/** How many fire, and when the list was last fetched. */
function FiringStatus(
  { n, at, failed }: { n: number; at: Date | null; failed: boolean },
) {
  return (
    <p class="muted" data-firing={n}>
      {n === 1 ? "1 alert" : `${n} alerts`} firing
      {at ? ` · updated ${clock(at)} UTC` : ""}
      {failed ? " · update failed, retrying" : ""}
    </p>
  );
}

function AlertTable(
  { rows, token, onRefused, onAcked }: {
    rows: AlertRow[];
    token: string | null;
    onRefused: () => void;
    onAcked: (a: AlertRow) => void;
  },
) {
  return (
    <DataTable
      label="Firing alerts"
      id="firing-alerts"
      columns={[
        "Rule",
        "What",
        "Subject",
        "Severity",
        "Since (UTC)",
        "Acknowledged",
      ]}
    >
      {rows.map((a) => (
        <Row
          key={a.alert_id}
          a={a}
          token={token}
          onRefused={onRefused}
          onAcked={onAcked}
        />
      ))}
    </DataTable>
  );
}

function AlertList({ alerts, enabled }: AlertListProps) {
  const t = useToken();
  const { data, at, failed } = useLiveJson<{ firing: AlertRow[] }>(
    "/api/alerts",
    { firing: alerts },
    EVERY_MS,
  );
  // Acknowledged here before the next fetch says so.
  const [acked, setAcked] = useState<ReadonlyMap<number, AlertRow>>(new Map());
  const rows = data.firing.map((a) =>
    a.acknowledged_at ? a : acked.get(a.alert_id) ?? a
  );
  const status = <FiringStatus n={rows.length} at={at} failed={failed} />;
  if (rows.length === 0) {
    return (
      <div>
        {status}
        <p class="empty">Nothing is firing.</p>
      </div>
    );
  }
  const open = rows.some((a) => !a.acknowledged_at);
  return (
    <div>
      {status}
      {enabled && !t.token && open && (
        <TokenForm
          onToken={t.remember}
          label="API token to acknowledge"
          id="alerts-api-token"
        />
      )}
      {t.refused && (
        <p class="notice error" role="alert">
          The server refused that token; enter it again.
        </p>
      )}
      <AlertTable
        rows={rows}
        token={enabled ? t.token : null}
        onRefused={t.forget}
        onAcked={(x) => setAcked(new Map(acked).set(x.alert_id, x))}
      />
    </div>
  );
}

export default island("AlertList", AlertList);
