/**
 * The data engineer's page: streams, offsets and lag, rejections, quality
 * runs, job runs and the lake, reloaded from `/api/pipeline` after every
 * live snapshot and every 10 s (job and quality runs change without a
 * commit).
 */
import { island } from "../lib/islands/island.ts";
import type { PipelineStatus } from "../lib/pipeline/types.ts";
import { clock } from "../lib/format.ts";
import { Panel } from "../components/Panel.tsx";
import {
  LatestRejections,
  OffsetsTable,
  RejectionGroups,
  StreamCards,
} from "../components/PipelineStreams.tsx";
import { JobRuns, JobTable, LakeTable } from "../components/PipelineJobs.tsx";
import { QualityChecks, QualityRuns } from "../components/PipelineQuality.tsx";
import { useLiveJson } from "./use_live.ts";

const EVERY_MS = 10_000;

/** Where the events are: offsets and lag, and what was rejected. */
function EventPanels({ d }: { d: PipelineStatus }) {
  return (
    <>
      <Panel
        title="Offsets and lag per partition"
        note="committed = next offset the consumers read, stored with the rows · log end as last seen by a process holding the log"
        wide
      >
        <OffsetsTable rows={d.partitions} now={d.at} />
      </Panel>
      <Panel
        title="Rejected and dead-lettered, by reason"
        note="invalid events go to dlq.<topic> and rejected_events; refused stock moves stay in rejected_events"
        wide
      >
        <RejectionGroups rows={d.rejections.groups} />
      </Panel>
      <Panel
        title="Latest rejected events"
        note="newest first · payloads cut, hidden characters shown as \u{…}"
        wide
      >
        <LatestRejections rows={d.rejections.latest} />
      </Panel>
    </>
  );
}

/** What runs on a schedule: quality checks, jobs and the lake export. */
function RunPanels({ d }: { d: PipelineStatus }) {
  const latestRun = d.quality.runs[0];
  return (
    <>
      <Panel
        title="Data quality"
        note={latestRun
          ? `latest run #${latestRun.runId} at ${
            clock(latestRun.startedAt)
          } UTC, ${latestRun.source}`
          : "no run yet"}
        wide
      >
        <QualityChecks checks={d.quality.checks} />
        <QualityRuns runs={d.quality.runs} />
      </Panel>
      <Panel
        title="Scheduled jobs"
        note="duration and outcome of each job's last run"
        wide
      >
        <JobTable jobs={d.jobs.status} now={d.at} />
      </Panel>
      <Panel title="Recent job runs" note="newest first" wide>
        <JobRuns runs={d.jobs.runs} />
      </Panel>
      <Panel
        title="Lake export"
        note="watermark per stream: rows of transactions below it are in the lake"
        wide
      >
        <LakeTable lake={d.lake} now={d.at} />
      </Panel>
    </>
  );
}

function PipelineBoard(
  { initial, url }: { initial: PipelineStatus; url: string },
) {
  const { data: d, failed } = useLiveJson(url, initial, EVERY_MS);
  return (
    <>
      <p class="muted" data-pipeline-at={d.at.toISOString()}>
        As of {clock(d.at)} UTC{failed ? " · update failed, retrying" : ""}
      </p>
      <StreamCards streams={d.streams} />
      <EventPanels d={d} />
      <RunPanels d={d} />
    </>
  );
}

export default island("PipelineBoard", PipelineBoard);
