/** The jobs role: a start-up run and a scheduled run of one job close together do not both run. */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { type Job, JOBS, StartupRuns } from "../workers/jobs.ts";

const job = (name: string): Job => JOBS.find((j) => j.name === name)!;
const MIN = 60_000;

Deno.test("jobs - of a start-up run and a scheduled run close together the second is skipped, the next scheduled one runs", () => {
  // Started at 12:03:30, the maintenance job is scheduled at 12:04:00 and
  // due for its start-up at 12:04:30; started at 12:02:45, due for its
  // start-up at 12:03:45 and scheduled at 12:04:00.
  const orders = [
    { first: "scheduledDue", at: 30_000, second: "startupDue", then: 60_000 },
    { first: "startupDue", at: 60_000, second: "scheduledDue", then: 75_000 },
  ] as const;
  for (const { first, at, second, then } of orders) {
    const runs = new StartupRuns();
    const vacuum = job("maintenance");
    assertEquals(
      [
        runs[first](vacuum, at),
        runs[second](vacuum, then),
        runs.scheduledDue(vacuum, then + 10 * MIN),
      ],
      [true, false, true],
      `${first} then ${second}`,
    );
  }
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
