/** `mediawatch alerts failed|replay`: the failed set of alerts that exhausted their retries. */
import type { Job } from 'bullmq';
import type { DeliverJob } from '../contracts/jobs.js';
import { retryFailed } from '../alerts/replay.js';
import { alertLimits, createAlertStore } from '../alerts/store.js';
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
    const { config } = ctx.loaded;
    const prefix = config.redisPrefix;
    // The queue's job type is a union per payload kind; each job holds a payload of its own kind.
    await retryFailed(chosen as Job<DeliverJob>[], {
      queue: ctx.queues.deliver,
      breaker: createCircuitBreaker(ctx.redis, { prefix }),
      alerts: createAlertStore(ctx.redis, { prefix, limits: () => alertLimits(config) }),
      clock: Date.now,
    });
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
