/**
 * The evaluation of one closed hour for mention spikes: the watches' counts are closed and judged,
 * and the spikes that start or end go to the deliver queue, each its own job with the signal's id.
 * Closing and deciding are idempotent, so a retried or raced evaluation enqueues the same jobs.
 */
import type { SpikeHourJob } from '../contracts/jobs.js';
import { evaluateHour } from '../signals/spikes.js';
import { signalDelivery } from './deliver-jobs.js';
import type { PipelineDeps } from './deps.js';

export async function handleSpikeHour(job: SpikeHourJob, deps: PipelineDeps): Promise<number> {
  const { config } = deps.current();
  const events = await evaluateHour(job.hour, config, deps.signals, deps.clock());
  const specs = events.map(({ hook, payload }) => signalDelivery(hook, payload).spec);
  for (const { payload } of events) {
    const { watch, phase, count, hour } = payload.data;
    deps.logger.info(
      { signal: payload.data.signalId, watch: watch.id, phase, count, hour: hour.start },
      'mention spike',
    );
  }
  if (specs.length > 0) await deps.queues.deliver.addBulk(specs);
  return events.length;
}

/** The job that evaluates an hour: its id names the hour, so several schedulers enqueue it once. */
export function spikeHourJob(hour: number): { name: string; data: SpikeHourJob; opts: { jobId: string } } {
  return { name: 'spikes', data: { hour }, opts: { jobId: `spikes.${hour}` } };
}
