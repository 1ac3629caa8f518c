/**
 * The frame every analysis page shares: the window picker (a plain GET form,
 * so the choice lives in the URL), the window shown, the analysis itself,
 * and links to the same data as JSON and CSV.
 */
import type { ComponentChildren } from "preact";
import type { WindowInfo } from "../lib/analytics/mod.ts";
import { stamp } from "../lib/format.ts";
import { Layout } from "./Layout.tsx";
import { AnalyticsNav } from "./AnalyticsNav.tsx";

export interface WindowOption {
  hours: number;
  label: string;
}

/** The window picker and extra inputs as a plain GET form: the choice lives in the URL. */
export function WindowForm(
  { action, hours, options, children }: {
    action: string;
    hours: number;
    options: WindowOption[];
    children?: ComponentChildren;
  },
) {
  const opts = options.some((o) => o.hours === hours)
    ? options
    : [...options, { hours, label: `${hours} hours` }];
  return (
    <form class="filters" method="get" action={action}>
      <label>
        <span>Window</span>
        <select name="hours">
          {opts.map((o) => (
            <option value={String(o.hours)} selected={o.hours === hours}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      {children}
      <button type="submit" class="btn">Apply</button>
    </form>
  );
}

function WindowNote({ w }: { w: WindowInfo }) {
  return (
    <p class="muted">
      Window: {stamp(new Date(w.from))} → {stamp(new Date(w.to))} ({w.hours} h)
    </p>
  );
}

/** Links to the same data as JSON and CSV, with the page's filters. */
export function Downloads(
  { api, query, extra }: {
    api: string;
    query: string;
    extra?: Array<[string, string]>;
  },
) {
  const q = query ? `?${query}` : "";
  return (
    <p class="muted downloads">
      Data: <a href={`${api}${q}`}>JSON</a> ·{" "}
      <a href={`${api}.csv${q}`} download>CSV</a>
      {extra?.map(([label, href]) => (
        <>
          {" "}· <a href={href} download>{label}</a>
        </>
      ))}
    </p>
  );
}

export interface AnalysisPageProps {
  title: string;
  /** The page's path (the form's action). */
  href: string;
  /** The JSON twin's path; its `.csv` is the download. */
  api: string;
  windows: WindowOption[];
  hours: number;
  window: WindowInfo;
  /** The query string the download links repeat. */
  query: string;
  /** Inputs the form adds to the window picker. */
  form?: ComponentChildren;
  /** More downloads: [label, href]. */
  extra?: Array<[string, string]>;
  children: ComponentChildren;
}

export function AnalysisPage(p: AnalysisPageProps) {
  return (
    <Layout title={p.title} active="analytics" live={false}>
      <AnalyticsNav active={p.href} />
      <WindowForm action={p.href} hours={p.hours} options={p.windows}>
        {p.form}
      </WindowForm>
      <WindowNote w={p.window} />
      {p.children}
      <Downloads api={p.api} query={p.query} extra={p.extra} />
    </Layout>
  );
}
