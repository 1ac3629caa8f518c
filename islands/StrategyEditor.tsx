/**
 * Edits one strategy level (the default, a category or a product): the
 * fields set at that level as JSON, checked by the server, which answers a
 * bad field with one sentence naming it. Examples fill in common setups.
 */
import { useState } from "preact/hooks";
import { island } from "../lib/islands/island.ts";

export interface StoredLevel {
  scope: "default" | "category" | "product";
  key: string;
  strategy: Record<string, unknown>;
}

export interface StrategyEditorProps {
  levels: StoredLevel[];
  categories: string[];
  products: { id: string; name: string }[];
  /** False when API_TOKEN is unset: the write endpoints are off. */
  enabled: boolean;
}

const TOKEN_KEY = "pricing-api-token";

const EXAMPLES: Record<string, Record<string, unknown>> = {
  "Cheapest competitor −1%": { target: { kind: "cheapest", offsetPct: -0.01 } },
  "Competitor average": { target: { kind: "average" } },
  "Margin-optimal (learned elasticity)": { target: { kind: "optimize" } },
  "Hold list prices": { target: { kind: "static" } },
  "Approve every change": { autoApply: null },
  "At least 20% margin": { minMargin: 0.2 },
};

async function send(
  method: "PUT" | "DELETE",
  scope: string,
  key: string,
  token: string,
  strategy?: unknown,
): Promise<{ status: number; error?: string }> {
  const path = scope === "default"
    ? "/api/strategies/default"
    : `/api/strategies/${scope}/${encodeURIComponent(key)}`;
  const res = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
    },
    body: method === "PUT" ? JSON.stringify({ strategy }) : undefined,
  });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, error: body.error };
}

function LevelPicker(
  { scope, keyName, setScope, setKey, p }: {
    scope: string;
    keyName: string;
    setScope: (s: StoredLevel["scope"]) => void;
    setKey: (k: string) => void;
    p: StrategyEditorProps;
  },
) {
  const keys = scope === "category"
    ? p.categories.map((c) => ({ value: c, label: c }))
    : p.products.map((x) => ({ value: x.id, label: `${x.id} ${x.name}` }));
  return (
    <div class="actions">
      <label for="strategy-scope">Level</label>
      <select
        id="strategy-scope"
        class="text"
        value={scope}
        onChange={(e) =>
          setScope(
            (e.target as HTMLSelectElement).value as StoredLevel["scope"],
          )}
      >
        <option value="default">Default (every product)</option>
        <option value="category">A category</option>
        <option value="product">A product</option>
      </select>
      {scope !== "default" && (
        <select
          aria-label={scope === "category" ? "Category" : "Product"}
          class="text"
          value={keyName}
          onChange={(e) => setKey((e.target as HTMLSelectElement).value)}
        >
          <option value="">choose…</option>
          {keys.map((k) => (
            <option key={k.value} value={k.value}>{k.label}</option>
          ))}
        </select>
      )}
    </div>
  );
}

type Message = { ok: boolean; text: string } | null;

/** The level being edited, its JSON text, and saving or removing it. */
function useEditor(p: StrategyEditorProps) {
  const [scope, setScope] = useState<StoredLevel["scope"]>("default");
  const [key, setKey] = useState("");
  const stored = (s: string, k: string) =>
    p.levels.find((l) => l.scope === s && l.key === k)?.strategy ?? {};
  const [text, setText] = useState(
    JSON.stringify(stored("default", ""), null, 2),
  );
  const [message, setMessage] = useState<Message>(null);
  const pick = (s: StoredLevel["scope"], k: string) => {
    setScope(s);
    setKey(k);
    setText(JSON.stringify(stored(s, k), null, 2));
    setMessage(null);
  };
  const run = async (method: "PUT" | "DELETE") => {
    const token = sessionStorage.getItem(TOKEN_KEY) ??
      prompt("API token to change strategies") ?? "";
    if (!token) return;
    let parsed: unknown;
    try {
      parsed = method === "PUT" ? JSON.parse(text) : undefined;
    } catch {
      return setMessage({ ok: false, text: "The text is not valid JSON." });
    }
    const r = await send(method, scope, key, token, parsed);
    if (r.status === 401) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
    setMessage(
      r.status < 300
        ? {
          ok: true,
          text: "Saved. The next pricing run (within a minute) uses it.",
        }
        : { ok: false, text: r.error ?? `Failed (HTTP ${r.status})` },
    );
  };
  return { scope, key, text, setText, message, pick, run };
}

function Examples(
  { text, setText }: { text: string; setText: (t: string) => void },
) {
  return (
    <p class="actions">
      {Object.entries(EXAMPLES).map(([label, fields]) => (
        <button
          key={label}
          type="button"
          class="btn"
          onClick={() =>
            setText(JSON.stringify({ ...safeParse(text), ...fields }, null, 2))}
        >
          {label}
        </button>
      ))}
    </p>
  );
}

function StrategyEditor(p: StrategyEditorProps) {
  const e = useEditor(p);
  if (!p.enabled) {
    return (
      <p class="notice warn">
        Editing is disabled: set API_TOKEN on the server to enable it.
      </p>
    );
  }
  return (
    <div class="strategy-editor">
      <LevelPicker
        scope={e.scope}
        keyName={e.key}
        setScope={(s) => e.pick(s, "")}
        setKey={(k) => e.pick(e.scope, k)}
        p={p}
      />
      <Examples text={e.text} setText={e.setText} />
      <label for="strategy-json">Fields set at this level (JSON)</label>
      <textarea
        id="strategy-json"
        class="text"
        rows={10}
        cols={60}
        spellcheck={false}
        value={e.text}
        onInput={(ev) => e.setText((ev.target as HTMLTextAreaElement).value)}
      />
      <p class="actions">
        <button
          type="button"
          class="btn primary"
          disabled={e.scope !== "default" && !e.key}
          onClick={() => e.run("PUT")}
        >
          Save
        </button>
        {e.scope !== "default" && (
          <button
            type="button"
            class="btn danger"
            disabled={!e.key}
            onClick={() => e.run("DELETE")}
          >
            Remove this override
          </button>
        )}
      </p>
      {e.message && (
        <p class={e.message.ok ? "notice" : "notice error"} role="status">
          {e.message.text}
        </p>
      )}
    </div>
  );
}

function safeParse(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

export default island("StrategyEditor", StrategyEditor);
