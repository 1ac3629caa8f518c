/**
 * The API token of this tab, shared by the islands that write (approvals,
 * acknowledging alerts): asked for once, kept in sessionStorage (never in a
 * cookie or the URL), forgotten as soon as the server refuses it.
 */
import { useState } from "preact/hooks";

const TOKEN_KEY = "pricing-api-token";

/** The tab's token and what to do when it is given or refused. */
export function useToken() {
  const [token, setToken] = useState<string | null>(() =>
    typeof sessionStorage === "undefined"
      ? null
      : sessionStorage.getItem(TOKEN_KEY)
  );
  const [refused, setRefused] = useState(false);
  return {
    token,
    refused,
    remember(t: string) {
      sessionStorage.setItem(TOKEN_KEY, t);
      setRefused(false);
      setToken(t);
    },
    forget() {
      sessionStorage.removeItem(TOKEN_KEY);
      setToken(null);
      setRefused(true);
    },
  };
}

/** The one field that asks for the token. */
export function TokenForm(
  { onToken, label, id = "api-token" }: {
    onToken: (t: string) => void;
    label: string;
    id?: string;
  },
) {
  const [value, setValue] = useState("");
  return (
    <form
      class="actions"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onToken(value.trim());
      }}
    >
      <label for={id}>{label}</label>
      <input
        id={id}
        class="text"
        type="password"
        autocomplete="off"
        value={value}
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
      />
      <button class="btn primary" type="submit">Use token</button>
    </form>
  );
}
