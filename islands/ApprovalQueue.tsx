/**
 * The recommendations waiting for an analyst, with Approve and Reject. The
 * API token is asked for once per tab (api_token.tsx); a refused token is
 * forgotten at once.
 */
import { TableWrap } from "../components/Table.tsx";
import { useState } from "preact/hooks";
import { island } from "../lib/islands/island.ts";
import { money, percent, signedPct } from "../lib/format.ts";
import type { Recommendation } from "../lib/dashboard/types.ts";
import { Badge } from "../components/Badge.tsx";
import { TokenForm, useToken } from "./api_token.tsx";

export interface QueueItem {
  recommendation_id: number;
  product_id: string;
  product_name: string;
  recommendation: Recommendation;
  current_price: number;
  recommended_price: number;
  change_pct: number;
  expected_margin: number;
  confidence: number;
  computed_at: string;
}

export interface ApprovalQueueProps {
  items: QueueItem[];
  /** False when API_TOKEN is unset: the write endpoints are off. */
  enabled: boolean;
}

type Outcome = { ok: boolean; text: string };

type Answer = { error?: string; new_price?: number };

async function decide(
  id: number,
  verb: "approve" | "reject",
  token: string,
  reason?: string,
): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`/api/recommendations/${id}/${verb}`, {
    method: "POST",
    headers: {
      "Authorization": `Bearer ${token}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify(reason === undefined ? {} : { reason }),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

/** Sends a decision and reports how it went; 401 forgets the token. */
function useDecision(
  item: QueueItem,
  token: string | null,
  onDone: (id: number, o: Outcome) => void,
  onAuthFailed: () => void,
) {
  const [busy, setBusy] = useState(false);
  const act = async (verb: "approve" | "reject", reason?: string) => {
    if (!token) return;
    setBusy(true);
    const r = await decide(item.recommendation_id, verb, token, reason).catch(
      () => ({ status: 0, body: { error: "The request failed" } as Answer }),
    );
    setBusy(false);
    if (r.status === 401) return onAuthFailed();
    onDone(
      item.recommendation_id,
      r.status === 200
        ? {
          ok: true,
          text: verb === "approve"
            ? `Applied: our price is now ${money(r.body.new_price ?? null)}`
            : "Rejected",
        }
        : { ok: false, text: r.body.error ?? `Failed (HTTP ${r.status})` },
    );
  };
  return { busy, act };
}

function RejectForm(
  { busy, onReject, onCancel }: {
    busy: boolean;
    onReject: (reason: string) => void;
    onCancel: () => void;
  },
) {
  const [reason, setReason] = useState("");
  return (
    <form
      class="actions"
      onSubmit={(e) => (e.preventDefault(), onReject(reason))}
    >
      <input
        class="text"
        aria-label="Reason for rejecting"
        placeholder="Reason"
        required
        maxLength={500}
        value={reason}
        onInput={(e) => setReason((e.target as HTMLInputElement).value)}
      />
      <button class="btn danger" type="submit" disabled={busy}>Reject</button>
      <button class="btn" type="button" onClick={onCancel}>Cancel</button>
    </form>
  );
}

function Row(
  { item, token, onDone, onAuthFailed }: {
    item: QueueItem;
    token: string | null;
    onDone: (id: number, o: Outcome) => void;
    onAuthFailed: () => void;
  },
) {
  const [rejecting, setRejecting] = useState(false);
  const { busy, act } = useDecision(item, token, onDone, onAuthFailed);
  return (
    <tr data-recommendation={item.recommendation_id}>
      <td>
        <a href={`/pricing/${item.product_id}`}>{item.product_name}</a>
      </td>
      <td>
        <Badge rec={item.recommendation} />
      </td>
      <td class="num">{money(item.current_price)}</td>
      <td class="num">{money(item.recommended_price)}</td>
      <td class="num">{signedPct(item.change_pct)}</td>
      <td class="num">{percent(item.expected_margin)}</td>
      <td class="num">{percent(item.confidence)}</td>
      <td>
        {rejecting
          ? (
            <RejectForm
              busy={busy}
              onReject={(reason) => act("reject", reason)}
              onCancel={() => setRejecting(false)}
            />
          )
          : (
            <div class="actions">
              <button
                class="btn primary"
                type="button"
                disabled={busy || !token}
                onClick={() => act("approve")}
              >
                Approve
              </button>
              <button
                class="btn danger"
                type="button"
                disabled={busy || !token}
                onClick={() => setRejecting(true)}
              >
                Reject…
              </button>
            </div>
          )}
      </td>
    </tr>
  );
}

function Outcomes({ done }: { done: Map<number, Outcome> }) {
  if (done.size === 0) return null;
  return (
    <ul class="outcomes" aria-live="polite">
      {[...done].map(([id, o]) => (
        <li class={o.ok ? "ok" : "failed"} data-outcome={id}>
          #{id}: {o.text}
        </li>
      ))}
    </ul>
  );
}

const HEADINGS = [
  ["Product", ""],
  ["Action", ""],
  ["Current", "num"],
  ["Recommended", "num"],
  ["Change", "num"],
  ["Margin", "num"],
  ["Confidence", "num"],
  ["Decision", ""],
] as const;

function ApprovalQueue({ items, enabled }: ApprovalQueueProps) {
  const t = useToken();
  const [done, setDone] = useState(new Map<number, Outcome>());
  if (items.length === 0) {
    return <p class="empty">Nothing waits for approval.</p>;
  }
  const open = items.filter((i) => !done.get(i.recommendation_id)?.ok);
  return (
    <div>
      {!enabled && (
        <p class="notice warn">
          Approvals are disabled: set API_TOKEN on the server to enable them.
        </p>
      )}
      {enabled && !t.token && (
        <TokenForm
          onToken={t.remember}
          label="API token to approve or reject"
        />
      )}
      {t.refused && (
        <p class="notice error" role="alert">
          The server refused that token; enter it again.
        </p>
      )}
      <Outcomes done={done} />
      <TableWrap label="Recommendations waiting for approval" columns={8}>
        <table class="data" id="approval-queue">
          <thead>
            <tr>
              {HEADINGS.map(([label, cls]) => (
                <th key={label} class={cls || undefined}>{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {open.map((item) => (
              <Row
                key={item.recommendation_id}
                item={item}
                token={enabled ? t.token : null}
                onAuthFailed={t.forget}
                onDone={(id, o) => setDone(new Map(done).set(id, o))}
              />
            ))}
          </tbody>
        </table>
      </TableWrap>
    </div>
  );
}

export default island("ApprovalQueue", ApprovalQueue);
