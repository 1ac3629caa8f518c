/**
 * Progress lines for long runs (the lake export, the benchmarks): how much of
 * a task is done, its rate and the time left, written to stderr at most once
 * every `everyMs`. On a terminal each line rewrites the previous one (`\r`);
 * in a log or a pipe every update is a line of its own.
 */

/** Where progress lines go: stderr, or a stand-in in tests. */
export interface ProgressOutput {
  writeSync(p: Uint8Array): number;
  isTerminal(): boolean;
}

/** Options of {@linkcode progress}. */
export interface ProgressOptions {
  /** What is counted, e.g. "rows" or "events". */
  unit: string;
  /** Minimum time between two lines of one task, in ms (default 2000). */
  everyMs?: number;
  /** Default `Deno.stderr`. */
  out?: ProgressOutput;
  /** Clock in ms (default `performance.now`). */
  now?: () => number;
}

/** A progress printer (see {@linkcode progress}). */
export interface Progress {
  /**
   * Reports `done` of `total` units of `task` (e.g. a stream), with an
   * optional `note` such as "40 files". Prints on a task's first update,
   * once `total` is reached, and otherwise at most every `everyMs`.
   */
  update(task: string, done: number, total?: number, note?: string): void;
  /** Finishes the line on a terminal; call it before printing anything else. */
  end(): void;
}

const count = (n: number) => Math.round(n).toLocaleString("en");

/** `s` seconds as "42 s", "3 min 5 s" or "2 h 10 min". */
export function formatDuration(s: number): string {
  const t = Math.ceil(s);
  if (t < 60) return `${t} s`;
  if (t < 3600) return `${Math.floor(t / 60)} min ${t % 60} s`;
  return `${Math.floor(t / 3600)} h ${Math.floor((t % 3600) / 60)} min`;
}

/** One progress line: done (of total, percent), rate and time left, note. */
function progressLine(
  task: string,
  unit: string,
  done: number,
  elapsedMs: number,
  total?: number,
  note?: string,
): string {
  const parts = [
    total === undefined
      ? `${task}: ${count(done)} ${unit}`
      : `${task}: ${count(done)} / ${count(total)} ${unit} (${
        total ? Math.floor((done / total) * 100) : 100
      }%)`,
  ];
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  if (rate > 0) parts.push(`${count(rate)} ${unit}/s`);
  if (total !== undefined && rate > 0 && done < total) {
    parts.push(`${formatDuration((total - done) / rate)} left`);
  }
  if (note) parts.push(note);
  return parts.join(", ");
}

/** Creates a progress printer for one run; see {@linkcode Progress}. */
export function progress(opts: ProgressOptions): Progress {
  const out = opts.out ?? Deno.stderr;
  const now = opts.now ?? (() => performance.now());
  const everyMs = opts.everyMs ?? 2000;
  const tty = out.isTerminal();
  const enc = new TextEncoder();
  /** Each task's start, last line and whether it completed: tasks may interleave (two streams at once). */
  const tasks = new Map<
    string,
    { started: number; last: number; finished: boolean }
  >();
  // The task whose line is on the terminal without its newline yet.
  let open: string | undefined;
  const end = () => {
    if (open !== undefined) out.writeSync(enc.encode("\n"));
    open = undefined;
  };
  return {
    update(name, done, total, note) {
      const t = now();
      const complete = total !== undefined && done >= total;
      let state = tasks.get(name);
      if (state?.finished && complete) return;
      if (state === undefined || state.finished) {
        // A new task, or a finished one run again: its first update prints.
        state = { started: t, last: t, finished: false };
        tasks.set(name, state);
      } else if (t - state.last < everyMs && !complete) {
        return;
      }
      if (open !== name) end();
      state.last = t;
      state.finished = complete;
      const line = progressLine(
        name,
        opts.unit,
        done,
        t - state.started,
        total,
        note,
      );
      // On a terminal: back to the start of the line, and clear what is left of the previous one.
      out.writeSync(enc.encode(tty ? `\r${line}\x1b[K` : `${line}\n`));
      open = tty ? name : undefined;
      if (complete) end();
    },
    end,
  };
}
