/** The conversion-funnel page body. */
import type { FunnelReport } from "../lib/analytics/mod.ts";
import { type Funnel, FUNNEL_STAGES } from "../lib/analytics/funnel.ts";
import { count, percent, rate } from "../lib/format.ts";
import { Kpi } from "./Kpi.tsx";
import { Empty, Panel } from "./Panel.tsx";
import { BarChart } from "./BarChart.tsx";
import { TableWrap } from "./Table.tsx";

const LABEL: Record<string, string> = {
  page_view: "Page view",
  product_view: "Product view",
  add_to_cart: "Add to cart",
  purchase: "Purchase",
};

function StageTable(
  { groups, name }: {
    groups: Array<{ key: string; funnel: Funnel }>;
    name: string;
  },
) {
  return (
    <TableWrap label={`Funnel by ${name.toLowerCase()}`} columns={7}>
      <table class="data">
        <thead>
          <tr>
            <th>{name}</th>
            {FUNNEL_STAGES.map((s) => <th key={s} class="num">{LABEL[s]}</th>)}
            <th class="num">Conversion</th>
            <th>Steepest drop</th>
          </tr>
        </thead>
        <tbody>
          {groups.map(({ key, funnel }) => (
            <tr>
              <td>{key}</td>
              {funnel.stages.map((s) => (
                <td class="num">
                  {count(s.sessions)}
                  {s.fromPrevious !== null && (
                    <span class="muted">{` (${percent(s.fromPrevious)})`}</span>
                  )}
                </td>
              ))}
              <td class="num">{percent(funnel.stages[3]!.fromFirst)}</td>
              <td>
                {funnel.steepestDrop
                  ? `→ ${LABEL[funnel.steepestDrop.to]}: −${
                    percent(funnel.steepestDrop.dropRate)
                  }`
                  : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function FunnelKpis({ r }: { r: FunnelReport }) {
  const drop = r.overall.steepestDrop;
  return (
    <div class="kpis">
      <Kpi
        label="Sessions"
        value={count(r.sessions)}
        sub="with at least one event in the window"
      />
      <Kpi
        label="Conversion"
        value={percent(r.overall.stages[3]!.fromFirst)}
        sub="sessions with a purchase / sessions with a page view"
      />
      <Kpi
        label="Steepest drop-off"
        value={drop ? `−${percent(drop.dropRate)}` : "—"}
        sub={drop
          ? `${LABEL[drop.from]} → ${LABEL[drop.to]}`
          : "no step measurable"}
        tone="warn"
      />
    </div>
  );
}

/** Sessions per stage; the stage after the steepest drop is highlighted. */
function StageChart({ overall }: { overall: Funnel }) {
  const drop = overall.steepestDrop;
  return (
    <Panel
      title="Sessions at each stage"
      note="unique sessions · share of the previous stage"
    >
      <BarChart
        title="Unique sessions reaching each funnel stage"
        bars={overall.stages.map((s) => ({
          label: `${LABEL[s.stage]}${
            s.fromPrevious !== null ? ` (${percent(s.fromPrevious)})` : ""
          }`,
          value: s.sessions,
          tone: drop && s.stage === drop.to ? "warn" : undefined,
          note: drop && s.stage === drop.to ? "steepest drop" : undefined,
        }))}
        format={(v) => `${count(v)} sessions`}
      />
    </Panel>
  );
}

function Comparison({ r }: { r: FunnelReport }) {
  const { converted: c, notConverted: n } = r.comparison;
  return (
    <Panel title="Converted vs non-converted sessions" note="means per session">
      <TableWrap label="Converted vs non-converted sessions" columns={5}>
        <table class="data">
          <thead>
            <tr>
              <th></th>
              <th class="num">Sessions</th>
              <th class="num">Events</th>
              <th class="num">Duration</th>
              <th class="num">Distinct event types</th>
            </tr>
          </thead>
          <tbody>
            {([["Converted (purchase)", c], ["Not converted", n]] as const)
              .map(([label, p]) => (
                <tr>
                  <td>{label}</td>
                  <td class="num">{count(p.sessions)}</td>
                  <td class="num">{rate(p.avgEvents, "events")}</td>
                  <td class="num">{rate(p.avgDurationSeconds, "s")}</td>
                  <td class="num">{rate(p.avgDistinctTypes, "types")}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </TableWrap>
    </Panel>
  );
}

/** Why there is no funnel to show; null when there is one. */
export function funnelEmpty(r: FunnelReport): string | null {
  return r.sessions === 0
    ? "No sessions in this window yet: start the generators or pick a longer window."
    : null;
}

export function FunnelView({ r }: { r: FunnelReport }) {
  const empty = funnelEmpty(r);
  if (empty) {
    return (
      <Panel title="Conversion funnel" wide>
        <Empty>{empty}</Empty>
      </Panel>
    );
  }
  return (
    <>
      <FunnelKpis r={r} />
      <div class="grid-2">
        <StageChart overall={r.overall} />
        <Comparison r={r} />
      </div>
      <Panel
        title="Funnel by device"
        note="unique sessions per stage (share of the previous stage) · conversion = purchase / page view"
        wide
      >
        <StageTable
          name="Device"
          groups={r.byDevice.map((d) => ({ key: d.device, funnel: d.funnel }))}
        />
      </Panel>
      <Panel
        title="Funnel by category"
        note="a session counts in each category it touched; later stages only on that category's products"
        wide
      >
        <StageTable
          name="Category"
          groups={r.byCategory.map((d) => ({
            key: d.category,
            funnel: d.funnel,
          }))}
        />
      </Panel>
    </>
  );
}
