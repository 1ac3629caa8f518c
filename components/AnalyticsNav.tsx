/** The analytics pages' own navigation, under the page title. */

const PAGES = [
  { href: "/analytics", label: "All analyses" },
  { href: "/analytics/funnel", label: "Funnel" },
  { href: "/analytics/price", label: "Price position" },
  { href: "/analytics/customers", label: "Customers" },
  { href: "/analytics/demand", label: "Demand" },
  { href: "/analytics/backtest", label: "Backtest" },
] as const;

/** Links to every analytics page; `active` is the path of the current one. */
export function AnalyticsNav({ active }: { active: string }) {
  return (
    <nav class="subnav" aria-label="Analytics">
      {PAGES.map((p) => (
        <a
          href={p.href}
          class={p.href === active ? "active" : undefined}
          aria-current={p.href === active ? "page" : undefined}
        >
          {p.label}
        </a>
      ))}
    </nav>
  );
}
