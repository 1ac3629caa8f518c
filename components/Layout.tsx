/** The page frame: head, top navigation with the pages, live status. */
import type { ComponentChildren } from "preact";
import { staticUrl } from "../lib/web/assets.ts";
import LiveStatus from "../islands/LiveStatus.tsx";

export type PageName =
  | "overview"
  | "inventory"
  | "pricing"
  | "activity"
  | "analytics"
  | "pipeline"
  | "alerts"
  | "none";

const NAV: { name: PageName; href: string; label: string }[] = [
  { name: "overview", href: "/", label: "Overview" },
  { name: "inventory", href: "/inventory", label: "Inventory" },
  { name: "pricing", href: "/pricing", label: "Pricing" },
  { name: "activity", href: "/activity", label: "Live activity" },
  { name: "analytics", href: "/analytics", label: "Analytics" },
  { name: "pipeline", href: "/pipeline", label: "Pipeline" },
  { name: "alerts", href: "/alerts", label: "Alerts" },
];

export interface LayoutProps {
  title: string;
  active: PageName;
  /** Show the live connection status (an island: adds JavaScript). */
  live?: boolean;
  children: ComponentChildren;
}

/** The HTML document: head with the stylesheet, `head` extras, and `children` as the body. */
export function Document(
  { title, head, children }: {
    /** The page's own title; the site name is appended. */
    title: string;
    head?: ComponentChildren;
    children: ComponentChildren;
  },
) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {head}
        <title>{`${title} · Pricing & Inventory`}</title>
        <link rel="stylesheet" href={staticUrl("style.css")} />
        <link rel="icon" href={staticUrl("favicon.svg")} type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        {children}
      </body>
    </html>
  );
}

/** The bar at the top: the brand (a link home), then `children`. */
export function TopBar({ children }: { children?: ComponentChildren }) {
  return (
    <header class="topbar">
      <a class="brand" href="/">
        <span class="brand-mark" aria-hidden="true">◆</span>{" "}
        Pricing &amp; Inventory
      </a>
      {children}
    </header>
  );
}

function Nav({ active }: { active: PageName }) {
  return (
    <nav class="nav" aria-label="Pages">
      {NAV.map((n) => (
        <a
          href={n.href}
          class={n.name === active ? "active" : undefined}
          aria-current={n.name === active ? "page" : undefined}
        >
          {n.label}
        </a>
      ))}
    </nav>
  );
}

export function Layout({ title, active, live = true, children }: LayoutProps) {
  return (
    <Document title={title}>
      <TopBar>
        <Nav active={active} />
        <div class="status">
          {live ? <LiveStatus /> : <span class="muted">Static page</span>}
        </div>
      </TopBar>
      <main class="page" id="main" tabindex={-1}>
        <h1 class="page-title">{title}</h1>
        {children}
      </main>
      <footer class="footer">
        All money in US dollars (USD) · times in UTC
      </footer>
    </Document>
  );
}

export { Empty, Panel } from "./Panel.tsx";
