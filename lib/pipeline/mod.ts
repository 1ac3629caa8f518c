/**
 * The data engineer's view of the pipeline, read entirely from the database
 * so any web role can show it: offsets and lag per partition, events per
 * second, rejections by reason with the latest rows, quality runs, job runs
 * and the lake's watermark per stream.
 */
import type { Sql } from "../db/mod.ts";
import { partitionOffsets, streamHealth } from "./offsets.ts";
import { latestRejections, rejectionGroups } from "./rejections.ts";
import { qualityStatus } from "./quality.ts";
import { lastJobRuns, recentJobRuns, SCHEDULED_JOBS } from "./job_runs.ts";
import { lakeWatermarks } from "./lake.ts";
import type { JobStatus, PipelineStatus } from "./types.ts";

export type { PipelineStatus } from "./types.ts";

/** Every job of the schedule, and any other that ran, with its last run. */
async function jobStatus(sql: Sql): Promise<JobStatus[]> {
  const last = await lastJobRuns(sql);
  const names = [
    ...SCHEDULED_JOBS,
    ...[...last.keys()].filter((j) => !SCHEDULED_JOBS.some((s) => s.name === j))
      .map((name) => ({ name, every: "—" })),
  ];
  return names.map(({ name, every }) => ({
    job: name,
    every,
    last: last.get(name)?.last ?? null,
    lastOkAt: last.get(name)?.lastOkAt ?? null,
  }));
}

/** The whole page's data, for topics under `topicPrefix`. */
export async function pipelineStatus(
  sql: Sql,
  topicPrefix: string,
): Promise<PipelineStatus> {
  const partitions = await partitionOffsets(sql, topicPrefix);
  const [streams, groups, latest, quality, status, runs, lake] = await Promise
    .all([
      streamHealth(sql, partitions),
      rejectionGroups(sql),
      latestRejections(sql),
      qualityStatus(sql),
      jobStatus(sql),
      recentJobRuns(sql, 25),
      lakeWatermarks(sql),
    ]);
  return {
    at: new Date(),
    streams,
    partitions,
    rejections: { groups, latest },
    quality,
    jobs: { status, runs },
    lake,
  };
}
