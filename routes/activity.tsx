/** Live activity: the last 50 events (live), event-type and device mix, throughput. */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import {
  type Activity,
  activity,
  type Mix,
} from "../lib/dashboard/activity.ts";
import type { StreamRate } from "../lib/dashboard/types.ts";
import { page } from "../lib/web/page.ts";
import { count, percent, rate } from "../lib/web/format.ts";
import { Empty, Layout, Panel } from "../components/Layout.tsx";
import { BarChart } from "../components/BarChart.tsx";
import LiveEvents from "../islands/LiveEvents.tsx";

const LIMIT = 50;

/** One card per stream: events in the last minute, and the 15-minute average. */
function StreamRates({ rates }: { rates: StreamRate[] }) {
  return (
    <div class="kpis">
      {rates.map((t) => (
        <div class="kpi" data-kpi={t.stream}>
          <div class="kpi-label">{t.stream}</div>
          <div class="kpi-value">{`${count(t.lastMinute)} /min`}</div>
          <div class="kpi-sub">
            {rate(t.last15Min / 15, "/min")} average over 15 min
          </div>
        </div>
      ))}
    </div>
  );
}

/** A mix of clicks as bars, each with its count and share of the total. */
function MixChart(
  { title, chartTitle, mix, minutes, label = (name) => name }: {
    title: string;
    chartTitle: string;
    mix: Mix[];
    minutes: number;
    label?: (name: string) => string;
  },
) {
  const total = mix.reduce((n, x) => n + x.count, 0);
  return (
    <Panel title={title} note={`clickstream, last ${minutes} min`}>
      {mix.length === 0
        ? <Empty>No clicks in the last {minutes} minutes.</Empty>
        : (
          <BarChart
            title={chartTitle}
            format={(n) => `${count(n)} (${percent(n / (total || 1))})`}
            bars={mix.map((m) => ({ label: label(m.name), value: m.count }))}
          />
        )}
    </Panel>
  );
}

function ActivityPage({ a }: { a: Activity }) {
  return (
    <Layout title="Live activity" active="activity">
      <StreamRates rates={a.throughput} />
      <div class="grid-2">
        <MixChart
          title="Event types"
          chartTitle="Clickstream events by type"
          mix={a.eventTypes}
          minutes={a.mixWindowMin}
          label={(name) => name.replaceAll("_", " ")}
        />
        <MixChart
          title="Devices"
          chartTitle="Clickstream events by device"
          mix={a.devices}
          minutes={a.mixWindowMin}
        />
      </div>
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
