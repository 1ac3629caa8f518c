/**
 * Conversion funnel: where do we lose users?
 *
 * Input is one row per session shape (built by `inputs.ts`): sessions with
 * the same device, event types and category events are counted together,
 * which keeps the rows few however many sessions there are. A session
 * "reaches" a stage when it has at least one event of that stage's type or
 * of a later one: a purchase implies the views and the cart before it, whose
 * events a feed may not carry (an order feed sends purchases alone), so no
 * stage ever counts more sessions than the one before it and conversion
 * stays within 100 %. Order is not required, because events of one session
 * can arrive out of order across partitions. Stages are page_view →
 * product_view → add_to_cart → purchase.
 */
import { round, sum } from "./stats.ts";

export const FUNNEL_STAGES = [
  "page_view",
  "product_view",
  "add_to_cart",
  "purchase",
] as const;
export type FunnelStage = typeof FUNNEL_STAGES[number];

/** Sessions of one shape, aggregated. */
export interface FunnelSessions {
  device: string;
  /** Distinct event types seen in each of these sessions. */
  eventTypes: string[];
  /** Distinct [category, event type] pairs of their product events. */
  categoryEvents: Array<[string, string]>;
  /** How many sessions have this shape. */
  sessions: number;
  /** Their events, summed. */
  events: number;
  /** Their durations (last event − first event), summed, in seconds. */
  durationSeconds: number;
}

export interface StageCount {
  stage: FunnelStage;
  sessions: number;
  /** sessions / sessions at the previous stage (null for the first stage or when the previous is 0). */
  fromPrevious: number | null;
  /** sessions / sessions at the first stage (null when the first is 0). */
  fromFirst: number | null;
}

export interface Funnel {
  stages: StageCount[];
  /** The step losing the largest share of sessions; null when no step can be measured. */
  steepestDrop: { from: FunnelStage; to: FunnelStage; dropRate: number } | null;
}

export interface SessionProfile {
  sessions: number;
  avgEvents: number | null;
  avgDurationSeconds: number | null;
  avgDistinctTypes: number | null;
}

export interface FunnelResult {
  sessions: number;
  overall: Funnel;
  byDevice: Array<{ device: string; funnel: Funnel }>;
  byCategory: Array<{ category: string; funnel: Funnel }>;
  /** Sessions with a purchase against sessions without. */
  comparison: { converted: SessionProfile; notConverted: SessionProfile };
}

/**
 * Builds a funnel from per-stage counts. Drop-off of step k is
 * `1 − n_k / n_{k−1}`; the steepest drop is the largest one, ties going to
 * the earlier step; steps whose previous stage has 0 sessions are skipped.
 * Rates are rounded to 4 decimals.
 */
export function funnelFromCounts(counts: readonly number[]): Funnel {
  const first = counts[0] ?? 0;
  const stages = FUNNEL_STAGES.map((stage, i): StageCount => {
    const n = counts[i] ?? 0;
    const prev = i === 0 ? null : counts[i - 1] ?? 0;
    return {
      stage,
      sessions: n,
      fromPrevious: prev === null || prev === 0 ? null : round(n / prev, 4),
      fromFirst: first === 0 ? null : round(n / first, 4),
    };
  });
  let steepestDrop: Funnel["steepestDrop"] = null;
  for (let i = 1; i < stages.length; i++) {
    const rate = stages[i]!.fromPrevious;
    if (rate === null) continue;
    const drop = round(1 - rate, 4);
    if (steepestDrop === null || drop > steepestDrop.dropRate) {
      steepestDrop = {
        from: stages[i - 1]!.stage,
        to: stages[i]!.stage,
        dropRate: drop,
      };
    }
  }
  return { stages, steepestDrop };
}

function countStages(
  groups: readonly FunnelSessions[],
  reached: (s: FunnelSessions, stage: FunnelStage) => boolean,
): number[] {
  return FUNNEL_STAGES.map((stage) =>
    total(groups.filter((s) => reached(s, stage)))
  );
}

const total = (groups: readonly FunnelSessions[]) =>
  sum(groups.map((g) => g.sessions));

const STAGE_INDEX = new Map<string, number>(
  FUNNEL_STAGES.map((stage, i) => [stage, i]),
);

/** True when event type `type` is `stage` or a later stage. */
const atOrAfter = (type: string, stage: FunnelStage) =>
  (STAGE_INDEX.get(type) ?? -1) >= STAGE_INDEX.get(stage)!;

/** The session reached `stage`: it has an event of that stage or a later one. */
const reachedStage = (s: FunnelSessions, stage: FunnelStage) =>
  s.eventTypes.some((t) => atOrAfter(t, stage));

const hasType = (s: FunnelSessions, stage: FunnelStage) =>
  s.eventTypes.includes(stage);

/**
 * Profiles sessions: mean event count, duration (s) and number of distinct
 * event types per session, each rounded to 2 decimals (null for none).
 */
export function profileSessions(
  groups: readonly FunnelSessions[],
): SessionProfile {
  const n = total(groups);
  const per = (x: number) => n === 0 ? null : round(x / n, 2);
  return {
    sessions: n,
    avgEvents: per(sum(groups.map((g) => g.events))),
    avgDurationSeconds: per(sum(groups.map((g) => g.durationSeconds))),
    avgDistinctTypes: per(
      sum(groups.map((g) => g.sessions * g.eventTypes.length)),
    ),
  };
}

/**
 * The whole funnel analysis. By device: each session counts under its
 * device. By category: a session belongs to every category it has a product
 * event in; its page_view stage counts there (a product event implies a
 * page view), later stages only when an event of that stage or a later one
 * was on a product of that category. Devices and
 * categories are listed alphabetically. No sessions gives zero counts and a
 * null steepest drop.
 */
export function analyzeFunnel(
  sessions: readonly FunnelSessions[],
): FunnelResult {
  const devices = [...new Set(sessions.map((s) => s.device))].sort();
  const categories = [
    ...new Set(sessions.flatMap((s) => s.categoryEvents.map(([c]) => c))),
  ].sort();
  const byCategory = categories.map((category) => {
    const members = sessions.filter((s) =>
      s.categoryEvents.some(([c]) => c === category)
    );
    // Every member has a product event in the category, so it viewed a page.
    const counts = countStages(
      members,
      (s, stage) =>
        stage === "page_view" ||
        s.categoryEvents.some(([c, t]) =>
          c === category && atOrAfter(t, stage)
        ),
    );
    return { category, funnel: funnelFromCounts(counts) };
  });
  const converted = sessions.filter((s) => hasType(s, "purchase"));
  const notConverted = sessions.filter((s) => !hasType(s, "purchase"));
  return {
    sessions: total(sessions),
    overall: funnelFromCounts(countStages(sessions, reachedStage)),
    byDevice: devices.map((device) => ({
      device,
      funnel: funnelFromCounts(
        countStages(
          sessions.filter((s) => s.device === device),
          reachedStage,
        ),
      ),
    })),
    byCategory,
    comparison: {
      converted: profileSessions(converted),
      notConverted: profileSessions(notConverted),
    },
  };
}
