/**
 * The scheduler role: one node-cron timer per distinct schedule, each tick enqueuing one poll
 * job per feed with a job id derived from the tick, so several schedulers poll each feed once,
 * spread over `fetch.spread` so the workers see a steady stream rather than one burst a tick.
 * Feeds are also polled once at start. On a config reload the timers are rebuilt from the new
 * feed list (and new feeds are polled at once).
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { groupBySchedule, pollJobsForTick, spreadWindow } from '../src/schedule/poll-jobs.js';

export interface Scheduler {
  reload(): void;
  stop(): Promise<void>;
}

export function startScheduler(deps: PipelineDeps): Scheduler {
  let tasks: ScheduledTask[] = [];
  const build = () => {
    const { config } = deps.current();
    const groups = groupBySchedule(config.feeds, config.schedule);
    tasks = [...groups].map(([expr, feeds]) => {
      const task = cron.schedule(expr, async (ctx) => {
        const ids = new Set(feeds.map((f) => f.id));
        const { config: now } = deps.current();
        const live = now.feeds.filter((f) => ids.has(f.id));
        const spread = spreadWindow(ctx.date, task.getNextRun(), now.fetch.spread);
        try {
          await deps.queues.poll.addBulk(pollJobsForTick(live, ctx.date, spread));
        } catch (err) {
          // Redis is down: this tick is lost, the next one polls again. Fail fast, say so once.
          deps.logger.error({ err: (err as Error).message, schedule: expr, feeds: live.length }, 'could not enqueue poll jobs (is Redis reachable?)');
        }
      }, { name: `poll ${expr}`, noOverlap: true });
      return task;
    });
    deps.logger.info({ schedules: groups.size, feeds: config.feeds.length }, 'scheduler started');
    // Poll every feed once now rather than at its first tick, which may be minutes away. The
    // tick is the current minute, so schedulers starting together (or a per-minute cron tick
    // in the same minute) still poll each feed once.
    const minute = new Date(Math.floor(deps.clock() / 60_000) * 60_000);
    deps.queues.poll.addBulk(pollJobsForTick(config.feeds, minute)).catch((err: Error) => {
      deps.logger.error({ err: err.message }, 'could not enqueue the first polls (is Redis reachable?); the schedule will poll');
    });
  };
  const stopAll = async () => {
    await Promise.all(tasks.map((t) => t.destroy()));
    tasks = [];
  };
  build();
  return {
    reload: () => {
      void stopAll().then(build);
    },
    stop: stopAll,
  };
}
