/**
 * The scheduler role: one node-cron timer per distinct schedule, each tick enqueuing one poll
 * job per feed with a job id derived from the tick, so several schedulers poll each feed once,
 * spread over `fetch.spread` so the workers see a steady stream rather than one burst a tick.
 * Feeds are also polled once at start. On a config reload the timers are rebuilt from the new
 * feed list (and new feeds are polled at once).
 *
 * node-cron drops a tick that fires more than a second late (a long GC, a big reload blocking
 * the event loop). Such a tick is counted, logged and polled late under its own tick time, so
 * its job ids are the ones an on-time scheduler would have used and no feed is polled twice.
 *
 * It also reviews the WebSub subscriptions every `websub.checkEvery` (src/websub/renew.ts).
 *
 * With spike signals configured, half a minute into each hour (and at start) it enqueues the
 * evaluation of the hour before, with a job id naming that hour, so several schedulers evaluate it once.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { PipelineDeps } from '../src/pipeline/deps.js';
import { spikeHourJob } from '../src/pipeline/handle-spike-hour.js';
import { cronLogger } from '../src/schedule/cron-logger.js';
import { spikeWatches } from '../src/signals/spikes.js';
import { hourOf } from '../src/signals/spike.js';
import { groupBySchedule, pollJobsForTick, spreadWindow, tickOf } from '../src/schedule/poll-jobs.js';
import { startReviews } from '../src/websub/index.js';

export interface Scheduler {
  reload(): void;
  stop(): Promise<void>;
}

interface Group {
  expr: string;
  feedIds: Set<string>;
}

export function startScheduler(deps: PipelineDeps): Scheduler {
  let tasks: ScheduledTask[] = [];
  const logger = cronLogger(deps.logger);
  /** Enqueues a tick's polls for the group's feeds still configured, spread until `nextTick`. */
  const pollTick = async ({ expr, feedIds }: Group, scheduled: Date, from: Date, nextTick: Date | null) => {
    const { config } = deps.current();
    const live = config.feeds.filter((f) => feedIds.has(f.id));
    const spread = spreadWindow(from, nextTick, config.fetch.spread);
    try {
      await deps.queues.poll.addBulk(pollJobsForTick(live, scheduled, spread));
    } catch (err) {
      // Redis is down: this tick is lost, the next one polls again. Fail fast, say so once.
      deps.logger.error(
        { err: (err as Error).message, schedule: expr, feeds: live.length },
        'could not enqueue poll jobs (is Redis reachable?)',
      );
    }
  };
  const schedule = (group: Group) => {
    const task = cron.schedule(group.expr, (ctx) => pollTick(group, ctx.date, ctx.date, task.getNextRun()), {
      name: `poll ${group.expr}`,
      noOverlap: true,
      logger,
    });
    task.on('execution:missed', (ctx) => {
      deps.metrics.ticksMissed.inc({ reason: 'late' });
      deps.logger.warn(
        { schedule: group.expr, tick: tickOf(ctx.date) },
        'scheduler tick fired late (event loop blocked); polling its feeds now',
      );
      void pollTick(group, ctx.date, new Date(deps.clock()), task.getNextRun());
    });
    // node-cron logs these itself; its previous tick's polls, once queued, cover the same feeds.
    task.on('execution:overlap', () => deps.metrics.ticksMissed.inc({ reason: 'overlap' }));
    return task;
  };
  const evaluateLastHour = (at: number) => {
    if (spikeWatches(deps.current().config).length === 0) return;
    const { name, data, opts } = spikeHourJob(hourOf(at) - 1);
    deps.queues.signals.add(name, data, opts).catch((err: Error) => {
      deps.logger.error(
        { err: err.message },
        'could not enqueue the mention spike evaluation (is Redis reachable?)',
      );
    });
  };
  const build = () => {
    const { config } = deps.current();
    const groups = groupBySchedule(config.feeds, config.schedule);
    tasks = [...groups].map(([expr, feeds]) => schedule({ expr, feedIds: new Set(feeds.map((f) => f.id)) }));
    const spikes = cron.schedule('30 0 * * * *', (ctx) => evaluateLastHour(ctx.date.getTime()), {
      name: 'spikes',
      logger,
    });
    spikes.on('execution:missed', (ctx) => evaluateLastHour(ctx.date.getTime()));
    tasks.push(spikes);
    evaluateLastHour(deps.clock());
    deps.logger.info({ schedules: groups.size, feeds: config.feeds.length }, 'scheduler started');
    // Poll every feed once now rather than at its first tick, which may be minutes away. The
    // tick is the current minute, so schedulers starting together (or a per-minute cron tick
    // in the same minute) still poll each feed once.
    const minute = new Date(Math.floor(deps.clock() / 60_000) * 60_000);
    deps.queues.poll.addBulk(pollJobsForTick(config.feeds, minute)).catch((err: Error) => {
      deps.logger.error(
        { err: err.message },
        'could not enqueue the first polls (is Redis reachable?); the schedule will poll',
      );
    });
  };
  const stopAll = async () => {
    await Promise.all(tasks.map(async (t) => t.destroy()));
    tasks = [];
  };
  build();
  const reviews = startReviews(deps);
  return {
    reload: () => {
      void stopAll().then(build);
    },
    stop: async () => {
      await Promise.all([stopAll(), reviews.stop()]);
    },
  };
}
