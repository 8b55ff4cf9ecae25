/**
 * One delivery try: one alert, one digest window, or the alerts of one items job. Returns what
 * happened; the worker edge (workers/deliver.ts) maps it to BullMQ: retry with the webhook's
 * schedule, fail for good, or wait for the endpoint's circuit.
 *
 * An 'alerts' job is the fast path of a healthy endpoint: one gate check, then its alerts side by
 * side. At the first sign of trouble (a circuit not clean, or a try that does not deliver) it
 * stops starting new POSTs and hands every alert not yet delivered to a job of its own, which
 * retries, waits for the circuit or lands in the failed set exactly as a single alert does.
 */
import type { StateChange } from '../alerts/store.js';
import { alertIdsOfJob, type DeliverJob } from '../contracts/jobs.js';
import { MediawatchError } from '../contracts/errors.js';
import type { AlertPayload, WebhookPayload } from '../contracts/webhook.js';
import type { WebhookConfig } from '../config/schema.js';
import { buildDigest } from '../deliver/digest.js';
import { nextRetryDelay, triesFor } from '../deliver/retry-policy.js';
import { sendPayload } from '../deliver/channels/index.js';
import { redactUrl } from '../deliver/redact.js';
import type { SendOutcome } from '../deliver/send.js';
import type { DeliverJobSpec } from './deliver-jobs.js';
import type { PipelineDeps } from './deps.js';

export type DeliveryResult =
  | { kind: 'delivered' }
  | { kind: 'wait'; until: number }
  | { kind: 'retry'; error: MediawatchError }
  | { kind: 'give-up'; error: MediawatchError };

/** What a POST that did not go through means: try again later, or never. */
type Failed = Extract<DeliveryResult, { kind: 'retry' | 'give-up' }>;
type AlertJob = Extract<DeliverJob, { kind: 'alert' }>;
type AlertsJob = Extract<DeliverJob, { kind: 'alerts' }>;
type DigestJob = Extract<DeliverJob, { kind: 'digest' }>;
type SignalJob = Extract<DeliverJob, { kind: 'signal' }>;

/** An alert of an 'alerts' job that did not go through, and what its try gave (none: not tried). */
interface Undelivered {
  payload: AlertPayload;
  tried: Failed | undefined;
}

/** POSTs of one 'alerts' job in flight at once: quick for a burst, gentle on the receiver. */
export const BATCH_PARALLEL = 4;

type Delivered = { kind: 'delivered' };
const DELIVERED: Delivered = { kind: 'delivered' };

const giveUp = (message: string, details?: Record<string, unknown>): Failed => ({
  kind: 'give-up',
  error: new MediawatchError('delivery', message, details ? { details } : undefined),
});

/**
 * Phases: find the webhook, pass its circuit, build the payload, send it, settle the outcome and
 * record it as the alerts' delivery state. `attemptsMade`: the job's tries before this one.
 */
export async function handleDelivery(
  jobId: string,
  job: DeliverJob,
  deps: PipelineDeps,
  attemptsMade = 0,
): Promise<DeliveryResult> {
  const { config } = deps.current();
  const hook = config.webhooks.find((h) => h.id === job.webhookId && h.url !== '');
  if (!hook) {
    const why = `webhook ${job.webhookId} is no longer configured (or has no URL); ${jobId} kept in the failed set`;
    return dead(job, why, deps);
  }
  if (job.kind === 'alerts') return deliverBatch(job, hook, deps);
  if (job.kind === 'alert' && job.failedFor !== undefined) return giveUp(job.failedFor);
  const gate = await deps.breaker.gate(hook.id, deps.clock());
  if (!gate.pass) {
    if ('retryAt' in gate) return { kind: 'wait', until: gate.retryAt };
    const why = `webhook ${hook.id} answered 410 Gone earlier and is disabled; replay the failed alerts once it is fixed`;
    return dead(job, why, deps);
  }
  const payload = await payloadOf(jobId, job, deps);
  if (!payload) return DELIVERED; // an empty digest window: nothing to say
  // An alert keeps its own id on every try and replay (the receiver's webhook-id).
  const id = job.kind === 'alert' ? job.payload.data.alertId : jobId;
  const outcome = await sendPayload(channelsOf(deps), hook, id, payload, deps.clock);
  const result = await settle(jobId, job, outcome, hook, gate.clean, deps);
  const last =
    result.kind === 'retry' && retryDelay(job, attemptsMade + 1, result.error, [hook], 0) === undefined;
  await track(deps, alertIdsOf(payload), stateOf(outcome, last ? asFinal(result) : result));
  return result;
}

/** Given up without a try: the webhook is gone. */
async function dead(job: DeliverJob, why: string, deps: PipelineDeps): Promise<Failed> {
  const ids =
    job.kind === 'digest'
      ? (await deps.digests.read(job.key)).map((p) => p.data.alertId)
      : alertIdsOfJob(job);
  await track(deps, ids, { state: 'dead', tried: false, error: why });
  return giveUp(why);
}

/** The alerts a payload carries: one, a digest's, or none (a signal). */
function alertIdsOf(payload: WebhookPayload): string[] {
  if (payload.type === 'mention.detected') return [payload.data.alertId];
  if (payload.type === 'mention.digest') return payload.data.alerts.map((a) => a.alertId);
  return [];
}

/** What a try's outcome and its verdict make of the alerts' delivery state. */
function stateOf(outcome: SendOutcome, result: Delivered | Failed): StateChange {
  if (outcome.kind === 'delivered') return { state: 'delivered', tried: true, statusCode: outcome.status };
  const error = result.kind === 'delivered' ? '' : result.error.message;
  if (outcome.kind === 'gone') return { state: 'dead', tried: true, error, statusCode: outcome.status };
  const status = outcome.error.details.status;
  const state = result.kind === 'retry' ? 'retrying' : 'failed';
  return { state, tried: true, error, ...(typeof status === 'number' && { statusCode: status }) };
}

const track = (deps: PipelineDeps, alertIds: string[], change: StateChange) =>
  deps.alerts.update(alertIds, change, deps.clock());

const channelsOf = (deps: PipelineDeps) => ({ http: deps.webhookHttp, mailer: deps.mailer });

async function payloadOf(
  jobId: string,
  job: AlertJob | DigestJob | SignalJob,
  deps: PipelineDeps,
): Promise<WebhookPayload | undefined> {
  if (job.kind !== 'digest') return job.payload;
  const alerts = await deps.digests.read(job.key);
  return alerts.length === 0 ? undefined : buildDigest(jobId, job.window, alerts, deps.clock());
}

/** The alerts side by side, until one does not go through; the rest each get a job of their own. */
async function deliverBatch(
  job: AlertsJob,
  hook: WebhookConfig,
  deps: PipelineDeps,
): Promise<DeliveryResult> {
  const gate = await deps.breaker.gate(hook.id, deps.clock());
  if (!gate.pass || !gate.clean) {
    await handOver(
      job,
      job.payloads.map((payload) => ({ payload, tried: undefined })),
      hook,
      deps,
    );
    return DELIVERED;
  }
  const channels = channelsOf(deps);
  const left: Undelivered[] = [];
  let next = 0;
  let stop = false;
  const lane = async () => {
    while (!stop && next < job.payloads.length) {
      const payload = job.payloads[next++];
      const outcome = await sendPayload(channels, hook, payload.data.alertId, payload, deps.clock);
      stop ||= outcome.kind !== 'delivered';
      const single: AlertJob = { kind: 'alert', webhookId: job.webhookId, payload, fetchedAt: job.fetchedAt };
      const result = await settle(payload.data.alertId, single, outcome, hook, true, deps);
      const retried = result.kind === 'retry' && hook.retry.length > 0;
      await track(deps, [payload.data.alertId], stateOf(outcome, retried ? result : asFinal(result)));
      if (result.kind !== 'delivered') left.push({ payload, tried: result });
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_PARALLEL, job.payloads.length) }, lane));
  left.push(...job.payloads.slice(next).map((payload) => ({ payload, tried: undefined })));
  if (left.length > 0) await handOver(job, left, hook, deps);
  return DELIVERED;
}

/** A retry that will not come is a give-up. */
const asFinal = (result: Delivered | Failed): Delivered | Failed =>
  result.kind === 'retry' ? giveUp(result.error.message) : result;

/**
 * Each alert to its own job (its id the alert id), as if it had been queued alone: one that was
 * tried already continues the webhook's schedule from its second try; one refused for good, or
 * with no retry left, goes to the failed set without another request, where replay finds it.
 */
async function handOver(
  job: AlertsJob,
  alerts: Undelivered[],
  hook: WebhookConfig,
  deps: PipelineDeps,
): Promise<void> {
  await deps.queues.deliver.addBulk(alerts.map((alert) => ownJob(job, alert, hook, deps.random())));
  const log = { webhook: hook.id, alerts: alerts.length, of: job.payloads.length };
  deps.logger.info(log, 'alerts handed to jobs of their own after a failed or held delivery');
}

function ownJob(
  job: AlertsJob,
  { payload, tried }: Undelivered,
  hook: WebhookConfig,
  random: number,
): DeliverJobSpec {
  const retry = tried?.kind === 'retry' && hook.retry.length > 0;
  const data: AlertJob = {
    kind: 'alert',
    webhookId: job.webhookId,
    payload,
    fetchedAt: job.fetchedAt,
    ...(tried ? { triesBefore: 1 } : {}),
    ...(tried && !retry ? { failedFor: tried.error.message } : {}),
  };
  const delay = retry ? (retryDelay(job, 1, tried.error, [hook], random) ?? 0) : 0;
  const attempts = !tried ? triesFor(hook.retry) : retry ? triesFor(hook.retry) - 1 : 1;
  return { name: 'deliver', data, opts: { jobId: payload.data.alertId, attempts, delay } };
}

/** What one POST's outcome means, with its bookkeeping: breaker, metrics, log. */
async function settle(
  jobId: string,
  job: AlertJob | DigestJob | SignalJob,
  outcome: SendOutcome,
  hook: WebhookConfig,
  clean: boolean,
  deps: PipelineDeps,
): Promise<Delivered | Failed> {
  const log = { alert: jobId, webhook: hook.id, kind: job.kind, durationMs: outcome.durationMs };
  if (outcome.kind === 'delivered') {
    if (!clean) await deps.breaker.success(hook.id);
    if (job.kind === 'digest') await deps.digests.clear(job.key);
    deps.metrics.alertsSent.inc({ webhook: hook.id });
    deps.metrics.circuitOpen.set({ webhook: hook.id }, 0);
    if (job.kind === 'alert') observeLatency(job, deps);
    deps.logger.info({ ...log, status: outcome.status }, 'alert delivered');
    return DELIVERED;
  }
  if (outcome.kind === 'gone') {
    await deps.breaker.markGone(hook.id, deps.clock());
    deps.metrics.alertsFailed.inc({ webhook: hook.id, final: 'true' });
    deps.logger.error(
      { ...log, url: redactUrl(hook.url) },
      'WEBHOOK DISABLED: the endpoint answered 410 Gone; ' +
        'its alerts go to the failed set until it is fixed and they are replayed',
    );
    return giveUp(`webhook ${hook.id} answered 410 Gone`, { status: 410 });
  }
  if (await deps.breaker.failure(hook.id, hook.breakerThreshold, deps.clock())) {
    deps.metrics.circuitOpen.set({ webhook: hook.id }, 1);
    const why = 'webhook circuit opened after consecutive failures: alerts wait, nothing is dropped';
    deps.logger.warn({ webhook: hook.id }, why);
  }
  const { error } = outcome;
  deps.metrics.alertsFailed.inc({ webhook: hook.id, final: String(!error.retryable) });
  const then = error.retryable ? 'will retry' : 'not retryable';
  deps.logger.warn({ ...log, err: error.toJSON() }, `alert delivery failed; ${then}`);
  return { kind: error.retryable ? 'retry' : 'give-up', error };
}

function observeLatency(job: AlertJob, deps: PipelineDeps): void {
  const now = deps.clock();
  deps.metrics.fetchToAlert.observe((now - job.fetchedAt) / 1000);
  const published = Date.parse(job.payload.data.item.publishedAt ?? '');
  if (!Number.isNaN(published) && published <= now)
    deps.metrics.publishToAlert.observe((now - published) / 1000);
}

/**
 * The wait before a failed delivery job's next try, from its webhook's schedule and any Retry-After;
 * undefined once the schedule is spent. An alert handed over by an 'alerts' job continues the
 * schedule where that job's try left it.
 */
export function retryDelay(
  job: DeliverJob | undefined,
  attemptsMade: number,
  err: unknown,
  hooks: readonly WebhookConfig[],
  random: number,
): number | undefined {
  const hook = hooks.find((h) => h.id === job?.webhookId);
  const retryAfterMs = err instanceof MediawatchError ? err.details.retryAfterMs : undefined;
  const before = job?.kind === 'alert' ? (job.triesBefore ?? 0) : 0;
  return nextRetryDelay({
    schedule: hook?.retry ?? [5_000],
    failedTries: attemptsMade + before,
    retryAfterMs,
    random,
  });
}
