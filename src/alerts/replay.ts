/**
 * Sending alerts again, once their endpoint is fixed: `mediawatch alerts replay` (the failed set)
 * and `POST /api/v1/alerts/{id}/replay` (any recorded alert). The payload is the one raised; the
 * signature and its timestamp are made afresh on the next try.
 */
import type { Job } from 'bullmq';
import type { Queues } from '../adapters/queues.js';
import { alertIdsOfJob, type DeliverJob } from '../contracts/jobs.js';
import type { CircuitBreaker } from '../deliver/circuit-breaker.js';
import type { AlertRecord, AlertStore } from './store.js';

export interface ReplayDeps {
  queue: Queues['deliver'];
  breaker: CircuitBreaker;
  alerts: AlertStore;
  clock: () => number;
}

/** How a replay went out: its failed job from the first try, a delayed try now, or a new job. */
export type Replayed = 'retried' | 'promoted' | 'on its way' | 'queued';

/**
 * Failed delivery jobs from their first try again. A replay is the operator saying the endpoint
 * is fixed: a 410 "gone" mark is lifted, and so is a refusal recorded for an alert of a batch.
 */
export async function retryFailed(jobs: Job<DeliverJob>[], deps: ReplayDeps): Promise<void> {
  for (const hook of new Set(jobs.map((j) => j.data.webhookId))) await deps.breaker.revive(hook);
  // Queued before the job can run again, so its outcome is the last word.
  await deps.alerts.update(
    jobs.flatMap((j) => alertIdsOfJob(j.data)),
    { state: 'queued', replay: true },
    deps.clock(),
  );
  for (const job of jobs) {
    if (job.data.kind === 'alert' && job.data.failedFor !== undefined) {
      const { failedFor: _cleared, ...data } = job.data;
      await job.updateData(data);
    }
    await job.retry('failed', { resetAttemptsMade: true });
  }
}

/**
 * One recorded alert again. Its own job, when it failed, is retried; when it waits for its next
 * try, that try is made now; when it is waiting or running, it is left alone. Otherwise (it was
 * delivered, or went out with other alerts in one job) a new job sends the same payload.
 */
export async function replayAlert(alert: AlertRecord, attempts: number, deps: ReplayDeps): Promise<Replayed> {
  const own = (await deps.queue.getJob(alert.alertId)) as Job<DeliverJob> | undefined;
  const state = await own?.getState();
  if (own && state === 'failed') {
    await retryFailed([own], deps);
    return 'retried';
  }
  if (own && state === 'delayed') {
    await own.promote();
    return 'promoted';
  }
  if (state === 'waiting' || state === 'active' || state === 'prioritized') return 'on its way';
  await deps.breaker.revive(alert.webhookId);
  await deps.alerts.update([alert.alertId], { state: 'queued', replay: true }, deps.clock());
  const data: DeliverJob = {
    kind: 'alert',
    webhookId: alert.webhookId,
    payload: alert.payload,
    fetchedAt: alert.raisedAt,
  };
  const jobId = `${alert.alertId}.replay.${(alert.delivery.replays ?? 0) + 1}`;
  await deps.queue.add('deliver', data, { jobId, attempts });
  return 'queued';
}
