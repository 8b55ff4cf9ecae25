/** `mediawatch alerts failed|replay`: the failed set of alerts that exhausted their retries. */
import type { Job } from 'bullmq';
import type { DeliverJob } from '../contracts/jobs.js';
import { createCircuitBreaker } from '../deliver/circuit-breaker.js';
import { parseArgs } from 'node:util';
import { CONFIG_OPTION, configPathOf, connectOperator } from './connect.js';

export async function alertsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONFIG_OPTION, all: { type: 'boolean' } },
  });
  const [sub] = positionals;
  const target = values.all ? '--all' : positionals[1];
  if (sub !== 'failed' && sub !== 'replay') {
    console.error('usage: mediawatch alerts failed | mediawatch alerts replay <alertId|--all>');
    return 2;
  }
  if (sub === 'replay' && !target) {
    console.error('mediawatch alerts replay: name an alert id, or --all');
    return 2;
  }
  const ctx = connectOperator(env, configPathOf(values.config, env));
  try {
    const failed = await ctx.queues.deliver.getFailed(0, -1);
    if (sub === 'failed') {
      if (failed.length === 0) console.log('no failed alerts');
      for (const job of failed) {
        const when = new Date(job.finishedOn ?? job.timestamp).toISOString();
        console.log(
          `${job.id}  webhook=${job.data.webhookId}  tries=${job.attemptsMade}  failed=${when}  ${describe(job.data)}\n    reason: ${job.failedReason}`,
        );
      }
      return 0;
    }
    const chosen = target === '--all' ? failed : failed.filter((j) => j.id === target);
    if (chosen.length === 0) {
      console.error(target === '--all' ? 'no failed alerts to replay' : `no failed alert with id ${target}`);
      return target === '--all' ? 0 : 1;
    }
    // A replay is the operator saying the endpoint is fixed: lift a 410 "gone" mark.
    const breaker = createCircuitBreaker(ctx.redis, { prefix: ctx.loaded.config.redisPrefix });
    for (const hook of new Set(chosen.map((j) => j.data.webhookId))) await breaker.revive(hook);
    for (const job of chosen) {
      // A refusal recorded when the alert was tried in a batch no longer stands either.
      if (job.data.kind === 'alert' && job.data.failedFor !== undefined) {
        const { failedFor: _cleared, ...data } = job.data;
        // The queue's job type is a union per payload kind; this payload is of the job's own kind.
        await (job as Job<DeliverJob>).updateData(data);
      }
      await job.retry('failed', { resetAttemptsMade: true });
    }
    console.log(`replaying ${chosen.length} alert(s)`);
    return 0;
  } finally {
    await ctx.close();
  }
}

function describe(job: DeliverJob): string {
  if (job.kind === 'alert') return job.payload.data.item.title;
  if (job.kind === 'alerts')
    return `${job.payloads.length} alerts: ${job.payloads.map((p) => p.data.item.title).join(' | ')}`;
  if (job.kind === 'signal') return `${job.payload.type} ${job.payload.data.signalId}`;
  return `digest of ${new Date(job.window.start).toISOString()}–${new Date(job.window.end).toISOString()}`;
}
