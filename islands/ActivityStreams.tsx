/**
 * The Live activity page's stream cards and click mixes. The cards follow
 * the shared live snapshot (it carries the stream rates); the mixes reload
 * `/api/activity` after each snapshot.
 */
import { island } from "../lib/islands/island.ts";
import type { Activity, Mix } from "../lib/dashboard/activity.ts";
import type { StreamRate } from "../lib/dashboard/types.ts";
import { count, percent, rate } from "../lib/format.ts";
import { Empty, Panel } from "../components/Panel.tsx";
import { BarChart } from "../components/BarChart.tsx";
import { useLive, useLiveJson } from "./use_live.ts";

/** What the island needs of the activity report (the events list has its own island). */
export type Streams = Omit<Activity, "recent">;

function StreamCards({ rates }: { rates: StreamRate[] }) {
  return (
    <div class="kpis">
      {rates.map((t) => (
        <div class="kpi" data-kpi={t.stream}>
          <div class="kpi-label">{t.stream}</div>
          <div class="kpi-value">{`${count(t.lastMinute)} /min`}</div>
          <div class="kpi-sub">
            {rate(t.last15Min / t.windowMin, "/min")} average over the last{" "}
            {t.windowMin.toFixed(Number.isInteger(t.windowMin) ? 0 : 1)} min
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

function ActivityStreams({ initial }: { initial: Streams }) {
  const { snapshot } = useLive();
  const { data } = useLiveJson<Streams>("/api/activity", initial);
  const rates = snapshot?.throughput ?? data.throughput;
  return (
    <>
      <StreamCards rates={rates} />
      <div class="grid-2">
        <MixChart
          title="Event types"
          chartTitle="Clickstream events by type"
          mix={data.eventTypes}
          minutes={data.mixWindowMin}
          label={(name) => name.replaceAll("_", " ")}
        />
        <MixChart
          title="Devices"
          chartTitle="Clickstream events by device"
          mix={data.devices}
          minutes={data.mixWindowMin}
        />
      </div>
    </>
  );
}

export default island("ActivityStreams", ActivityStreams);
