/**
 * One delivery try of one alert. Returns what happened; the worker edge (workers/deliver.ts)
 * maps it to BullMQ: retry with the webhook's schedule, fail for good, or wait for the circuit.
 */
import type { DeliverJob } from '../contracts/jobs.js';
import { MediawatchError } from '../contracts/errors.js';
import { sendAlert, type WebhookTarget } from '../deliver/send.js';
import type { WebhookConfig } from '../config/schema.js';
import type { PipelineDeps } from './deps.js';

export type DeliveryResult =
  | { kind: 'delivered' }
  | { kind: 'wait'; until: number }
  | { kind: 'retry'; error: MediawatchError }
  | { kind: 'give-up'; error: MediawatchError };

export function targetOf(hook: WebhookConfig): WebhookTarget {
  const secrets = Array.isArray(hook.secret) ? hook.secret : [hook.secret];
  return { id: hook.id, url: hook.url, secrets, format: hook.format, timeoutMs: hook.timeout };
}

export function goneKey(prefix: string, webhookId: string): string {
  return `${prefix}:webhook:${webhookId}:gone`;
}

export async function handleDelivery(job: DeliverJob, deps: PipelineDeps): Promise<DeliveryResult> {
  const { config } = deps.current();
  const hook = config.webhooks.find((h) => h.id === job.webhookId);
  const alert = job.payload.data.alertId;
  if (!hook || hook.url === '') {
    return { kind: 'give-up', error: new MediawatchError('delivery', `webhook ${job.webhookId} is no longer configured (or has no URL); alert ${alert} kept in the failed set`) };
  }
  if (await deps.redis.exists(goneKey(config.redisPrefix, hook.id))) {
    return { kind: 'give-up', error: new MediawatchError('delivery', `webhook ${hook.id} answered 410 Gone earlier and is disabled; replay the failed alerts once it is fixed`) };
  }
  const now = deps.clock();
  const gate = await deps.breaker.gate(hook.id, now);
  if (!gate.pass) return { kind: 'wait', until: gate.retryAt };

  const outcome = await sendAlert(deps.webhookHttp, targetOf(hook), job.payload, deps.clock);
  const log = { alert, webhook: hook.id, item: job.payload.data.item.id, durationMs: outcome.durationMs };
  if (outcome.kind === 'delivered') {
    await deps.breaker.success(hook.id);
    deps.metrics.alertsSent.inc({ webhook: hook.id });
    deps.metrics.circuitOpen.set({ webhook: hook.id }, 0);
    observeLatency(job, deps);
    deps.logger.info({ ...log, status: outcome.status }, 'alert delivered');
    return { kind: 'delivered' };
  }
  if (outcome.kind === 'gone') {
    await deps.redis.set(goneKey(config.redisPrefix, hook.id), String(now));
    deps.metrics.alertsFailed.inc({ webhook: hook.id, final: 'true' });
    deps.logger.error({ ...log, url: hook.url }, 'WEBHOOK DISABLED: the endpoint answered 410 Gone; its alerts go to the failed set until it is fixed and they are replayed');
    return { kind: 'give-up', error: new MediawatchError('delivery', `webhook ${hook.id} answered 410 Gone`, { details: { status: 410 } }) };
  }
  const opened = await deps.breaker.failure(hook.id, hook.breakerThreshold, deps.clock());
  if (opened) {
    deps.metrics.circuitOpen.set({ webhook: hook.id }, 1);
    deps.logger.warn({ webhook: hook.id }, 'webhook circuit opened after consecutive failures: alerts wait, nothing is dropped');
  }
  deps.metrics.alertsFailed.inc({ webhook: hook.id, final: String(!outcome.error.retryable) });
  deps.logger.warn({ ...log, err: outcome.error.toJSON() }, outcome.error.retryable ? 'alert delivery failed; will retry' : 'alert delivery failed; not retryable');
  return outcome.error.retryable ? { kind: 'retry', error: outcome.error } : { kind: 'give-up', error: outcome.error };
}

function observeLatency(job: DeliverJob, deps: PipelineDeps): void {
  const now = deps.clock();
  deps.metrics.fetchToAlert.observe((now - job.fetchedAt) / 1000);
  const published = Date.parse(job.payload.data.item.publishedAt ?? '');
  if (!Number.isNaN(published) && published <= now) deps.metrics.publishToAlert.observe((now - published) / 1000);
}
