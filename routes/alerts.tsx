/**
 * The alerts page (`/alerts`): what is firing now, with Acknowledge; what
 * cleared in the last week; the rules with their thresholds and what each
 * sent today; the channels (addresses masked); the delivery log.
 * `GET /api/alerts` is its JSON twin. The writes are routes/alerts_api.ts.
 */
import { Hono } from "hono";
import type { AppContext } from "../lib/web/context.ts";
import { type AlertsView, alertsView } from "../lib/alerts/store.ts";
import { page } from "../lib/web/page.ts";
import { Layout, Panel } from "../components/Layout.tsx";
import {
  ChannelTable,
  DeliveryTable,
  RecentAlerts,
  RuleTable,
} from "../components/AlertTables.tsx";
import AlertList from "../islands/AlertList.tsx";

function AlertsPage({ v, enabled }: { v: AlertsView; enabled: boolean }) {
  return (
    <Layout title="Alerts" active="alerts">
      <Panel
        title="Firing"
        note="acknowledged alerts are not repeated; all are resolved when they clear"
        wide
      >
        <AlertList alerts={v.firing} enabled={enabled} />
      </Panel>
      <Panel title="Resolved" note="last 7 days" wide>
        <RecentAlerts alerts={v.recent} />
      </Panel>
      <Panel
        title="Rules"
        note="thresholds from settings, changed with PUT /api/alerts/rules/:rule"
        wide
      >
        <RuleTable rules={v.rules} />
      </Panel>
      <Panel title="Channels" note="from ALERT_CHANNELS" wide>
        <ChannelTable channels={v.channels} />
      </Panel>
      <Panel title="Deliveries" note="latest 50, with retries" wide>
        <DeliveryTable rows={v.deliveries} />
      </Panel>
    </Layout>
  );
}

export function alertRoutes(ctx: AppContext): Hono {
  const read = () => alertsView(ctx.sql, ctx.config);
  return new Hono()
    .get("/api/alerts", async (c) => c.json(await read()))
    .get("/alerts", async (c) =>
      page(
        c,
        <AlertsPage v={await read()} enabled={ctx.config.apiToken !== ""} />,
      ));
}
