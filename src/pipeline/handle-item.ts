/**
 * New or changed items: match each, join the ones that mention a watch to their story, and raise
 * at most one alert per (story, webhook) for the watches that story has not alerted on that
 * webhook before. Every step is idempotent, so a retried or raced job produces the same alert ids,
 * and so the same delivery job ids (an alert's own, or one derived from a webhook's alerts of the
 * job), which BullMQ turns into a single delivery.
 */
import crypto from 'node:crypto';
import { fromJobItem, type ItemJob, type ItemsJob } from '../contracts/jobs.js';
import type { WatchMatch } from '../contracts/match.js';
import type { Config, WebhookConfig } from '../config/schema.js';
import { contentHash } from '../dedupe/content-hash.js';
import type { StoryAssignment, StoryItem, WatchClaim } from '../dedupe/story-store.js';
import type { AlertPayload } from '../contracts/webhook.js';
import { buildPayload } from '../deliver/payload.js';
import { triesFor } from '../deliver/retry-policy.js';
import type { PipelineDeps } from './deps.js';

/** The log is a sink like a webhook: every alert is written there once. */
const LOG_SINK = 'log';

export interface ItemSummary {
  /** Only an item that mentions a watch joins a story. */
  storyId?: string;
  watches: string[];
  alerts: string[];
}

/** One alert per item version per sink: the same job run twice gives the same id. */
export function alertIdFor(storyId: string, sink: string, itemKey: string, version: string): string {
  const digest = crypto.createHash('sha256').update(`${storyId}\n${sink}\n${itemKey}\n${version}`).digest('base64url');
  return `msg_${digest.slice(0, 27)}`;
}

export function watchesFor(hook: Pick<WebhookConfig, 'watches'>, matches: WatchMatch[]): WatchMatch[] {
  return hook.watches ? matches.filter((m) => hook.watches!.includes(m.id)) : matches;
}

/** A job for the deliver queue, added with the rest of its items job's. */
type DeliverJobSpec = Parameters<PipelineDeps['queues']['deliver']['addBulk']>[0][number];

/** An alert to send now, or a digest window's job. */
export type Delivery = { kind: 'now'; hook: WebhookConfig; payload: AlertPayload } | { kind: 'job'; spec: DeliverJobSpec };

/**
 * The items of one job: matched, then recorded for backtesting and (those that mention a watch)
 * joined to their stories, one round trip each and side by side; then alerted side by side, so
 * their Redis round trips overlap; their deliveries go to the deliver queue together, in one round
 * trip, a webhook's alerts in one job.
 *
 * Only an item that mentions a watch can alert, so only such items need a story: the others are
 * neither fingerprinted nor indexed. Most news mentions no watch, and the story lookup of a new
 * story was most of Redis's work per item and most of the index's memory.
 */
export async function handleItems(job: ItemsJob, deps: PipelineDeps): Promise<ItemSummary[]> {
  const { items: carried, ...poll } = job;
  const items = carried.map(({ item, sighting }) => ({ item: fromJobItem(item), sighting }));
  const now = deps.clock();
  // One config for the whole job.
  const { config, matcher } = deps.current();
  const matches = items.map(({ item }) => matcher.match({ title: item.title, summary: item.summary, content: item.content, url: item.url, feedId: poll.feedId, lang: item.lang }));
  const mentioning = items.flatMap((_, i) => (matches[i].length > 0 ? [i] : []));
  const [stories] = await Promise.all([
    deps.stories.assignAll(mentioning.map((i) => storyItemOf(poll.feedId, items[i].item, now))),
    deps.backtest.record(items.map(({ item }) => ({
      feedId: poll.feedId, itemKey: item.key, url: item.url, title: item.title, summary: item.summary, content: item.content,
      publishedAt: item.publishedAt, lang: item.lang, at: now,
    }))),
  ]);
  const wanted = mentioning.flatMap((i, k) => alertsWanted(i, { ...poll, ...items[i] }, config, stories[k], matches[i], deps));
  // Every alert of the job claims its story's watches in one round trip (on a single Redis).
  const claims = await deps.stories.claimAll(wanted.map((w) => ({ storyId: w.storyId, webhookId: w.sink.id, watchIds: w.watches.map((m) => m.id), alertId: w.alertId })));
  const deliveries = await Promise.all(wanted.map((w, k) => raise(w, claims[k], deps, now)));
  const specs = deliverJobs(deliveries.flatMap((d) => (d ? [d] : [])), poll.fetchedAt);
  if (specs.length > 0) await deps.queues.deliver.addBulk(specs);
  const summaries: ItemSummary[] = items.map((_, i) => ({ watches: matches[i].map((m) => m.id), alerts: [] }));
  mentioning.forEach((i, k) => (summaries[i].storyId = stories[k].storyId));
  wanted.forEach((w, k) => {
    if (w.sink.hook && claims[k].fresh.length > 0) summaries[w.index].alerts.push(w.alertId);
  });
  return summaries;
}

/** A webhook's alerts of one items job in one 'alerts' job (a lone alert in its own), in item order. */
export function deliverJobs(deliveries: Delivery[], fetchedAt: number): DeliverJobSpec[] {
  const byHook = new Map<string, { hook: WebhookConfig; payloads: AlertPayload[] }>();
  const specs: DeliverJobSpec[] = [];
  for (const d of deliveries) {
    if (d.kind === 'job') specs.push(d.spec);
    else if (byHook.has(d.hook.id)) byHook.get(d.hook.id)!.payloads.push(d.payload);
    else byHook.set(d.hook.id, { hook: d.hook, payloads: [d.payload] });
  }
  for (const { hook, payloads } of byHook.values()) {
    const opts = { attempts: triesFor(hook.retry) };
    if (payloads.length === 1) {
      specs.push({ name: 'deliver', data: { kind: 'alert', webhookId: hook.id, payload: payloads[0], fetchedAt }, opts: { ...opts, jobId: payloads[0].data.alertId } });
    } else {
      const ids = payloads.map((p) => p.data.alertId).sort().join(',');
      const jobId = `alerts.${crypto.createHash('sha256').update(`${hook.id}\n${ids}`).digest('base64url').slice(0, 27)}`;
      specs.push({ name: 'deliver', data: { kind: 'alerts', webhookId: hook.id, payloads, fetchedAt }, opts: { ...opts, jobId } });
    }
  }
  return specs;
}

function storyItemOf(feedId: string, item: ItemJob['item'], at: number): StoryItem {
  // A feed without a separate summary repeats its content there; fingerprint that text once.
  const text = item.summary === item.content ? item.content : `${item.summary}\n${item.content}`;
  return { feedId, itemKey: item.key, url: item.url, title: item.title, text, at };
}

/** An alert an item would raise on one sink (the log or a webhook), before its story's claim. */
interface WantedAlert {
  index: number;
  job: ItemJob;
  storyId: string;
  sink: { id: string; hook?: WebhookConfig };
  watches: WatchMatch[];
  alertId: string;
}

/** The alerts a matched item joined to its story would raise, one per sink that wants its watches. */
function alertsWanted(index: number, job: ItemJob, config: Config, story: StoryAssignment, matches: WatchMatch[], deps: PipelineDeps): WantedAlert[] {
  if (!story.isNew) deps.metrics.duplicates.inc({ kind: 'story' });
  for (const m of matches) deps.metrics.matched.inc({ watch: m.id });
  const version = contentHash(job.item);
  const sinks: { id: string; hook?: WebhookConfig }[] = [
    ...(config.logAlerts ? [{ id: LOG_SINK }] : []),
    ...config.webhooks.filter((h) => h.url !== '').map((hook) => ({ id: hook.id, hook })),
  ];
  return sinks.flatMap((sink) => {
    const watches = sink.hook ? watchesFor(sink.hook, matches) : matches;
    if (watches.length === 0) return [];
    return [{ index, job, storyId: story.storyId, sink, watches, alertId: alertIdFor(story.storyId, sink.id, job.item.key, version) }];
  });
}

/** Raises a claimed alert: logged, or returned for delivery; nothing when the story had it already. */
async function raise(w: WantedAlert, claim: WatchClaim, deps: PipelineDeps, now: number): Promise<Delivery | undefined> {
  if (claim.fresh.length === 0) return undefined;
  const { job, storyId, alertId } = w;
  const { item, feedId } = job;
  // An update: the story was alerted on this sink before, or this is an edited item.
  const update = claim.alertedBefore || job.sighting === 'changed';
  const payload = buildPayload({
    alertId, storyId, feed: { id: feedId, url: job.feedUrl }, item, now, update,
    watches: w.watches.filter((m) => claim.fresh.includes(m.id)),
  });
  if (!w.sink.hook) {
    deps.logger.info({ alert: alertId, story: storyId, feed: feedId, item: item.key, url: item.url, title: item.title, watches: claim.fresh, update }, 'alert');
    return undefined;
  }
  return deliveryFor(deps, w.sink.hook, payload, now);
}

/** Straight to the deliver queue, or into the webhook's digest window (one job per window). */
async function deliveryFor(deps: PipelineDeps, hook: WebhookConfig, payload: AlertPayload, now: number): Promise<Delivery> {
  const route = await deps.digests.route(hook, now);
  if (route.kind === 'now') return { kind: 'now', hook, payload };
  const { window } = route;
  await deps.digests.add(window, payload);
  deps.logger.info({ alert: payload.data.alertId, webhook: hook.id, digest: window.jobId, reason: route.reason }, 'alert added to a digest');
  // A little after the window closes, so alerts added at its last moment are in it.
  return {
    kind: 'job',
    spec: {
      name: 'deliver',
      data: { kind: 'digest', webhookId: hook.id, key: window.key, window: { start: window.start, end: window.end } },
      opts: { jobId: window.jobId, attempts: triesFor(hook.retry), delay: Math.max(0, window.end + 2_000 - now) },
    },
  };
}
