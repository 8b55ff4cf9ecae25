/**
 * One delivery try: one alert, or one digest window. Returns what happened; the worker edge
 * (workers/deliver.ts) maps it to BullMQ: retry with the webhook's schedule, fail for good, or
 * wait for the endpoint's circuit.
 */
import type { DeliverJob } from '../contracts/jobs.js';
import { MediawatchError } from '../contracts/errors.js';
import type { WebhookPayload } from '../contracts/webhook.js';
import type { WebhookConfig } from '../config/schema.js';
import { buildDigest, readDigest } from '../deliver/digest.js';
import { sendWebhook, type WebhookTarget } from '../deliver/send.js';
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

export async function handleDelivery(jobId: string, job: DeliverJob, deps: PipelineDeps): Promise<DeliveryResult> {
  const { config } = deps.current();
  const hook = config.webhooks.find((h) => h.id === job.webhookId);
  if (!hook || hook.url === '') {
    return { kind: 'give-up', error: new MediawatchError('delivery', `webhook ${job.webhookId} is no longer configured (or has no URL); ${jobId} kept in the failed set`) };
  }
  const gate = await deps.breaker.gate(hook.id, deps.clock());
  if (!gate.pass) {
    if ('retryAt' in gate) return { kind: 'wait', until: gate.retryAt };
    return { kind: 'give-up', error: new MediawatchError('delivery', `webhook ${hook.id} answered 410 Gone earlier and is disabled; replay the failed alerts once it is fixed`) };
  }

  const payload = await payloadOf(jobId, job, deps);
  if (!payload) return { kind: 'delivered' }; // an empty digest window: nothing to say
  const outcome = await sendWebhook(deps.webhookHttp, targetOf(hook), jobId, payload, deps.clock);
  const log = { alert: jobId, webhook: hook.id, kind: job.kind, durationMs: outcome.durationMs };
  if (outcome.kind === 'delivered') {
    if (!gate.clean) await deps.breaker.success(hook.id);
    if (job.kind === 'digest') await deps.redis.del(job.key);
    deps.metrics.alertsSent.inc({ webhook: hook.id });
    deps.metrics.circuitOpen.set({ webhook: hook.id }, 0);
    if (job.kind === 'alert') observeLatency(job, deps);
    deps.logger.info({ ...log, status: outcome.status }, 'alert delivered');
    return { kind: 'delivered' };
  }
  if (outcome.kind === 'gone') {
    await deps.breaker.markGone(hook.id, deps.clock());
    deps.metrics.alertsFailed.inc({ webhook: hook.id, final: 'true' });
    deps.logger.error({ ...log, url: hook.url }, 'WEBHOOK DISABLED: the endpoint answered 410 Gone; its alerts go to the failed set until it is fixed and they are replayed');
    return { kind: 'give-up', error: new MediawatchError('delivery', `webhook ${hook.id} answered 410 Gone`, { details: { status: 410 } }) };
  }
  if (await deps.breaker.failure(hook.id, hook.breakerThreshold, deps.clock())) {
    deps.metrics.circuitOpen.set({ webhook: hook.id }, 1);
    deps.logger.warn({ webhook: hook.id }, 'webhook circuit opened after consecutive failures: alerts wait, nothing is dropped');
  }
  deps.metrics.alertsFailed.inc({ webhook: hook.id, final: String(!outcome.error.retryable) });
  deps.logger.warn({ ...log, err: outcome.error.toJSON() }, outcome.error.retryable ? 'alert delivery failed; will retry' : 'alert delivery failed; not retryable');
  return outcome.error.retryable ? { kind: 'retry', error: outcome.error } : { kind: 'give-up', error: outcome.error };
}

async function payloadOf(jobId: string, job: DeliverJob, deps: PipelineDeps): Promise<WebhookPayload | undefined> {
  if (job.kind === 'alert') return job.payload;
  const alerts = await readDigest(deps.redis, job.key);
  return alerts.length === 0 ? undefined : buildDigest(jobId, job.window, alerts, deps.clock());
}

function observeLatency(job: Extract<DeliverJob, { kind: 'alert' }>, deps: PipelineDeps): void {
  const now = deps.clock();
  deps.metrics.fetchToAlert.observe((now - job.fetchedAt) / 1000);
  const published = Date.parse(job.payload.data.item.publishedAt ?? '');
  if (!Number.isNaN(published) && published <= now) deps.metrics.publishToAlert.observe((now - published) / 1000);
}
