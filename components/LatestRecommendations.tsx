/** Overview: the pricing engine's latest recommendations, each linked to its product. */
import type { RecommendationRow } from "../lib/dashboard/types.ts";
import { money, percent, signedPct } from "../lib/format.ts";
import { Badge } from "./Badge.tsx";
import { StatusBadge } from "./StatusBadge.tsx";
import { Empty } from "./Panel.tsx";
import { TableWrap } from "./Table.tsx";

function RecommendationLine({ r }: { r: RecommendationRow }) {
  return (
    <tr data-product={r.productId}>
      <td>
        <a href={`/pricing/${r.productId}`}>{r.productName}</a>
      </td>
      <td>
        <Badge rec={r.recommendation} />
      </td>
      <td>
        <StatusBadge status={r.status} />
      </td>
      <td class="num">{money(r.currentPrice)}</td>
      <td class="num">{money(r.recommendedPrice)}</td>
      <td class="num">{signedPct(r.priceGapPct)}</td>
      <td class="num">{percent(r.confidence)}</td>
    </tr>
  );
}

export function LatestRecommendations(
  { rows }: { rows: RecommendationRow[] },
) {
  if (rows.length === 0) {
    return (
      <Empty>
        No recommendations yet: the pricing engine runs every minute once
        competitor prices arrive.
      </Empty>
    );
  }
  return (
    <TableWrap label="Latest recommendations" columns={7}>
      <table class="data" id="latest-recommendations">
        <thead>
          <tr>
            <th>Product</th>
            <th>Action</th>
            <th>Status</th>
            <th class="num">Current</th>
            <th class="num">Recommended</th>
            <th class="num">Gap</th>
            <th class="num">Confidence</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => <RecommendationLine key={r.productId} r={r} />)}
        </tbody>
      </table>
    </TableWrap>
  );
}
