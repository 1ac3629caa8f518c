/** The elasticity learned from our own orders, on the price-position page. */
import type { PriceReport } from "../lib/analytics/mod.ts";
import { count } from "../lib/format.ts";
import { Empty } from "./Layout.tsx";
import { DataTable } from "./Table.tsx";

/** Per category: the elasticity learned from our orders, its interval, and whether the simulation uses it. */
export function LearnedElasticity({ r }: { r: PriceReport }) {
  const l = r.learnedElasticity;
  if (l.categories.length === 0) {
    return (
      <Empty>
        Not enough of our own orders in this window to learn an elasticity: the
        simulation uses the fixed {l.fixed}.
      </Empty>
    );
  }
  return (
    <>
      <DataTable
        label="Elasticity learned per category"
        columns={[
          "Category",
          { label: "Learned elasticity", num: true },
          { label: "95% interval", num: true },
          { label: "Product-hours", num: true },
          { label: "Purchases", num: true },
          "In the simulation",
        ]}
      >
        {l.categories.map((c) => (
          <tr data-category={c.category}>
            <td>{c.category}</td>
            <td class="num">{c.estimate.toFixed(2)}</td>
            <td class="num">
              [{c.low.toFixed(2)}, {c.high.toFixed(2)}]
            </td>
            <td class="num">{count(c.n)}</td>
            <td class="num">{count(c.purchases)}</td>
            <td>
              {c.used
                ? "learned used"
                : `fixed ${r.simulation.elasticity} used (interval too wide)`}
            </td>
          </tr>
        ))}
      </DataTable>
      <p class="muted">
        Poisson regression of hourly purchases on our price and the competitors'
        average, with product views as exposure and product and hour-of-day
        effects, over {count(l.rows)}{" "}
        product-hours of this window. A category's estimate replaces the fixed
        elasticity once its interval's half-width is at most 20% of it.
      </p>
    </>
  );
}
