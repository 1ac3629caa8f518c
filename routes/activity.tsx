/** Live activity: the last 50 events (live), event-type and device mix, throughput. */
import { Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { activity } from "../lib/dashboard/activity.ts";
import { page } from "../lib/web/page.ts";
import { count, percent, rate } from "../lib/web/format.ts";
import { Empty, Layout, Panel } from "../components/Layout.tsx";
import { BarChart } from "../components/charts.tsx";
import LiveEvents from "../islands/LiveEvents.tsx";

const LIMIT = 50;

export function activityRoutes(ctx: AppContext): Hono {
  return new Hono()
    .get("/api/activity", async (c) => c.json(await activity(ctx.sql)))
    .get("/activity", async (c) => {
      const a = await activity(ctx.sql);
      const total = (m: { count: number }[]) =>
        m.reduce((n, x) => n + x.count, 0);
      const share = (m: { count: number }[]) => (n: number) =>
        `${count(n)} (${percent(n / (total(m) || 1))})`;
      return page(
        c,
        <Layout title="Live activity" active="activity">
          <div class="kpis">
            {a.throughput.map((t) => (
              <div class="kpi" data-kpi={t.stream}>
                <div class="kpi-label">{t.stream}</div>
                <div class="kpi-value">{`${count(t.lastMinute)} /min`}</div>
                <div class="kpi-sub">
                  {rate(t.last15Min / 15, "/min")} average over 15 min
                </div>
              </div>
            ))}
          </div>
          <div class="grid-2">
            <Panel
              title="Event types"
              note={`clickstream, last ${a.mixWindowMin} min`}
            >
              {a.eventTypes.length === 0
                ? <Empty>No clicks in the last {a.mixWindowMin} minutes.</Empty>
                : (
                  <BarChart
                    title="Clickstream events by type"
                    format={share(a.eventTypes)}
                    bars={a.eventTypes.map((m) => ({
                      label: m.name.replaceAll("_", " "),
                      value: m.count,
                    }))}
                  />
                )}
            </Panel>
            <Panel
              title="Devices"
              note={`clickstream, last ${a.mixWindowMin} min`}
            >
              {a.devices.length === 0
                ? <Empty>No clicks in the last {a.mixWindowMin} minutes.</Empty>
                : (
                  <BarChart
                    title="Clickstream events by device"
                    format={share(a.devices)}
                    bars={a.devices.map((m) => ({
                      label: m.name,
                      value: m.count,
                    }))}
                  />
                )}
            </Panel>
          </div>
          <Panel
            title={`Last ${LIMIT} events`}
            note="all streams, newest first, updates live"
            wide
          >
            <LiveEvents initial={a.recent} limit={LIMIT} />
          </Panel>
        </Layout>,
      );
    });
}
