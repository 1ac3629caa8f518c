/** The jobs role: a start-up run and a scheduled run of one job close together do not both run. */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { type Job, JOBS, StartupRuns } from "../workers/jobs.ts";

const job = (name: string): Job => JOBS.find((j) => j.name === name)!;
const MIN = 60_000;

Deno.test("jobs - a scheduled run just before the start-up run makes it skip", () => {
  const runs = new StartupRuns();
  const vacuum = job("maintenance");
  // Started at 12:03:30: the schedule fires at 12:04:00, start-up at 12:04:30.
  assertEquals(runs.scheduledDue(vacuum, 30_000), true);
  assertEquals(runs.startupDue(vacuum, 60_000), false);
  // The next scheduled run, ten minutes on, runs.
  assertEquals(runs.scheduledDue(vacuum, 30_000 + 10 * MIN), true);
});

Deno.test("jobs - a scheduled run just after the start-up run is skipped, the next one runs", () => {
  const runs = new StartupRuns();
  const vacuum = job("maintenance");
  // Started at 12:02:45: start-up at 12:03:45, the schedule at 12:04:00.
  assertEquals(runs.startupDue(vacuum, 60_000), true);
  assertEquals(runs.scheduledDue(vacuum, 75_000), false);
  assertEquals(runs.scheduledDue(vacuum, 75_000 + 10 * MIN), true);
});

Deno.test("jobs - runs far enough apart both run, and jobs without a gap never skip", () => {
  const runs = new StartupRuns();
  const models = job("models");
  assertEquals(runs.scheduledDue(models, 0), true);
  assertEquals(runs.startupDue(models, 2 * MIN), true);
  const pricing = job("pricing");
  assertEquals(runs.startupDue(pricing, 5_000), true);
  assertEquals(runs.scheduledDue(pricing, 6_000), true);
  // One job's runs do not make another skip.
  const quality = job("quality");
  assertEquals(runs.startupDue(quality, 2 * MIN + 1), true);
});
