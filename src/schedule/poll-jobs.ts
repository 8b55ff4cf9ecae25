/**
 * Which poll jobs a scheduler tick produces. The job id is derived from the feed and the tick's
 * scheduled time, so any number of scheduler processes enqueue each poll once: BullMQ ignores an
 * add whose job id already exists. A feed whose last poll is still waiting or running is not
 * polled again (BullMQ deduplication by feed until that job ends): a slow feed or a busy worker
 * would otherwise fetch and parse the same body once per tick before the first poll could store
 * the validators that turn the next fetch into a 304.
 *
 * A tick's polls are spread evenly over a window (at most until the next tick) instead of all
 * starting at once: the same feeds are polled as often, but the workers get a steady stream of
 * small polls rather than one burst per tick, which every item of that burst would wait behind.
 */
import type { PollJob } from '../contracts/jobs.js';

export interface ScheduledFeed {
  id: string;
  schedule?: string;
}

/** Feeds grouped by their effective cron expression: one timer per distinct schedule. */
export function groupBySchedule<F extends ScheduledFeed>(
  feeds: readonly F[],
  defaultSchedule: string,
): Map<string, F[]> {
  const groups = new Map<string, F[]>();
  for (const feed of feeds) {
    const expr = feed.schedule ?? defaultSchedule;
    groups.set(expr, [...(groups.get(expr) ?? []), feed]);
  }
  return groups;
}

/** The tick is the scheduled second, not the moment the timer fired, so every scheduler agrees on it. */
export function tickOf(scheduled: Date): string {
  return new Date(Math.floor(scheduled.getTime() / 1000) * 1000).toISOString();
}

export function pollJobId(feedId: string, tick: string): string {
  // BullMQ reserves ":" in custom job ids.
  return `poll.${feedId}.${tick.replace(/[:.]/g, '')}`;
}

export interface PollJobSpec {
  name: string;
  data: PollJob;
  opts: { jobId: string; deduplication: { id: string }; delay?: number };
}

/** How long a tick's polls may spread over: the configured spread, but never into the next tick. */
export function spreadWindow(scheduled: Date, nextTick: Date | null, maxSpreadMs: number): number {
  if (!nextTick) return 0;
  return Math.max(0, Math.min(maxSpreadMs, nextTick.getTime() - scheduled.getTime()));
}

/** Feed i of n starts i/n of the way into the spread window, in config order. */
export function pollJobsForTick(
  feeds: readonly ScheduledFeed[],
  scheduled: Date,
  spreadMs = 0,
): PollJobSpec[] {
  const tick = tickOf(scheduled);
  return feeds.map((f, i) => {
    const delay = Math.floor((i * spreadMs) / feeds.length);
    return {
      name: 'poll',
      data: { feedId: f.id, tick },
      opts: {
        jobId: pollJobId(f.id, tick),
        deduplication: { id: `poll.${f.id}` },
        ...(delay > 0 ? { delay } : {}),
      },
    };
  });
}
