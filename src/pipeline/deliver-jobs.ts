/** The deliver queue's jobs for the alerts and signals of one items job. */
import crypto from 'node:crypto';
import type { WebhookConfig } from '../config/schema.js';
import type { SignalPayload } from '../contracts/signals.js';
import type { AlertPayload } from '../contracts/webhook.js';
import { triesFor } from '../deliver/retry-policy.js';
import type { PipelineDeps } from './deps.js';

/** A job for the deliver queue, added with the rest of its items job's. */
export type DeliverJobSpec = Parameters<PipelineDeps['queues']['deliver']['addBulk']>[0][number];

/** An alert to send now, or a digest window's job. */
export type Delivery =
  { kind: 'now'; hook: WebhookConfig; payload: AlertPayload } | { kind: 'job'; spec: DeliverJobSpec };

/** A webhook's alerts of one items job in one 'alerts' job (a lone alert in its own), in item order. */
export function deliverJobs(deliveries: Delivery[], fetchedAt: number): DeliverJobSpec[] {
  const byHook = new Map<string, { hook: WebhookConfig; payloads: AlertPayload[] }>();
  const specs: DeliverJobSpec[] = [];
  for (const d of deliveries) {
    if (d.kind === 'job') specs.push(d.spec);
    else if (byHook.has(d.hook.id)) byHook.get(d.hook.id)!.payloads.push(d.payload);
    else byHook.set(d.hook.id, { hook: d.hook, payloads: [d.payload] });
  }
  for (const { hook, payloads } of byHook.values()) specs.push(webhookJob(hook, payloads, fetchedAt));
  return specs;
}

/** A signal's own job, its id the signal id: raised again by a retried or raced job, it is a no-op. */
export function signalDelivery(
  hook: WebhookConfig,
  payload: SignalPayload,
): Extract<Delivery, { kind: 'job' }> {
  const data = { kind: 'signal' as const, webhookId: hook.id, payload };
  return {
    kind: 'job',
    spec: { name: 'deliver', data, opts: { attempts: triesFor(hook.retry), jobId: payload.data.signalId } },
  };
}

/** The job id is the alert's own, or for several derived from their ids: a re-queue is a no-op. */
function webhookJob(hook: WebhookConfig, payloads: AlertPayload[], fetchedAt: number): DeliverJobSpec {
  const attempts = triesFor(hook.retry);
  if (payloads.length === 1) {
    const data = { kind: 'alert' as const, webhookId: hook.id, payload: payloads[0], fetchedAt };
    return { name: 'deliver', data, opts: { attempts, jobId: payloads[0].data.alertId } };
  }
  const ids = payloads
    .map((p) => p.data.alertId)
    .sort()
    .join(',');
  const jobId = `alerts.${crypto.createHash('sha256').update(`${hook.id}\n${ids}`).digest('base64url').slice(0, 27)}`;
  const data = { kind: 'alerts' as const, webhookId: hook.id, payloads, fetchedAt };
  return { name: 'deliver', data, opts: { attempts, jobId } };
}
