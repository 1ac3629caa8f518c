/** Live activity: the last 50 events (live), event-type and device mix, throughput. */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { type Activity, activity } from "../lib/dashboard/activity.ts";
import { page } from "../lib/web/page.ts";
import { Layout, Panel } from "../components/Layout.tsx";
import LiveEvents from "../islands/LiveEvents.tsx";
import ActivityStreams from "../islands/ActivityStreams.tsx";

const LIMIT = 50;

function ActivityPage({ a }: { a: Activity }) {
  const { recent: _, ...streams } = a;
  return (
    <Layout title="Live activity" active="activity">
      <ActivityStreams initial={streams} />
      <Panel
        title={`Last ${LIMIT} events`}
        note="all streams, newest first, updates live"
        wide
      >
        <LiveEvents initial={a.recent} limit={LIMIT} />
      </Panel>
    </Layout>
  );
}

/** GET /activity: stream rates, the click mixes, and the live event list. */
async function activityPage(ctx: AppContext, c: Context) {
  return page(c, <ActivityPage a={await activity(ctx.sql)} />);
}

export function activityRoutes(ctx: AppContext): Hono {
  return new Hono()
    .get("/api/activity", async (c) => c.json(await activity(ctx.sql)))
    .get("/activity", (c) => activityPage(ctx, c));
}
