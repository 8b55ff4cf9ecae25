/**
 * New or changed items: match each, join the ones that mention a watch to their story, and raise
 * at most one alert per (story, sink) for the watches that story has not alerted on that sink
 * before. Every step is idempotent, so a retried or raced job produces the same alert ids, and so
 * the same delivery job ids, which BullMQ turns into a single delivery.
 *
 * Only an item that mentions a watch can alert, so only such items join a story: most news
 * mentions no watch, and the others are neither fingerprinted nor indexed.
 */
import crypto from 'node:crypto';
import type { Metrics } from '../adapters/metrics.js';
import type { Config, WebhookConfig } from '../config/schema.js';
import type { AlertPayload } from '../contracts/webhook.js';
import { fromJobItem, type ItemJob, type ItemsJob } from '../contracts/jobs.js';
import type { Matcher, WatchMatch } from '../contracts/match.js';
import { contentHash } from '../dedupe/content-hash.js';
import type { StoryAssignment, StoryItem, WatchClaim } from '../dedupe/story-store.js';
import { buildPayload } from '../deliver/payload.js';
import { triesFor } from '../deliver/retry-policy.js';
import { signalsOfItems } from '../signals/index.js';
import { deliverJobs, signalDelivery, type Delivery } from './deliver-jobs.js';
import type { PipelineDeps } from './deps.js';

/** The log is a sink like a webhook: every alert is written there once. */
const LOG_SINK = 'log';

export interface ItemSummary {
  /** Only an item that mentions a watch joins a story. */
  storyId?: string;
  watches: string[];
  alerts: string[];
}

/** One item of the job, filled in phase by phase. */
interface ItemRecord {
  job: ItemJob;
  matches: WatchMatch[];
  story?: StoryAssignment;
  /** Ids of the alerts it raised on webhooks. */
  alerts: string[];
}

/** An alert an item would raise on one sink (the log or a webhook), and, once claimed, its watches. */
interface PlannedAlert {
  record: ItemRecord;
  storyId: string;
  sink: { id: string; hook?: WebhookConfig };
  watches: WatchMatch[];
  alertId: string;
  claim?: WatchClaim;
}

/**
 * The phases of an items job. Stories are joined and the items recorded for backtesting side by
 * side; every Redis phase is one round trip for the whole job (or calls side by side).
 */
export async function handleItems(job: ItemsJob, deps: PipelineDeps): Promise<ItemSummary[]> {
  const now = deps.clock();
  const { config, matcher } = deps.current();
  const records = matchItems(job, matcher);
  await Promise.all([joinStories(records, deps, now), recordForBacktest(records, deps, now)]);
  countMatches(records, deps.metrics);
  const alerts = records.flatMap((r) => planAlerts(r, config));
  const [signals] = await Promise.all([raiseSignals(job, records, deps, now), claimWatches(alerts, deps)]);
  const raised = (await Promise.all(alerts.map((a) => raise(a, deps, now)))).flatMap((r) => (r ? [r] : []));
  // On record before its delivery job exists, so every try finds the alert to update.
  await deps.alerts.record(raised, now);
  await enqueue([...raised.map((r) => r.delivery), ...signals], job.fetchedAt, deps);
  return records.map(({ story, matches, alerts }) => ({
    ...(story ? { storyId: story.storyId } : {}),
    watches: matches.map((m) => m.id),
    alerts,
  }));
}

function matchItems(job: ItemsJob, matcher: Matcher): ItemRecord[] {
  const { items, ...poll } = job;
  return items.map(({ item: carried, sighting }) => {
    const item = fromJobItem(carried);
    const { title, summary, content, article, url, lang } = item;
    const matches = matcher.match({ title, summary, content, article, url, lang, feedId: poll.feedId });
    return { job: { ...poll, item, sighting }, matches, alerts: [] };
  });
}

/** Items that mention a watch join their stories, in one round trip. */
async function joinStories(records: ItemRecord[], deps: PipelineDeps, now: number): Promise<void> {
  const mentioning = records.filter((r) => r.matches.length > 0);
  const stories = await deps.stories.assignAll(mentioning.map((r) => storyItemOf(r.job, now)));
  mentioning.forEach((r, k) => (r.story = stories[k]));
}

function storyItemOf({ feedId, item }: ItemJob, at: number): StoryItem {
  // A feed without a separate summary repeats its content there; fingerprint that text once.
  // The page's text, when it was read, is what the outlets' copies of a story have in common.
  const text =
    item.article ?? (item.summary === item.content ? item.content : `${item.summary}\n${item.content}`);
  return { feedId, itemKey: item.key, url: item.canonicalUrl ?? item.url, title: item.title, text, at };
}

async function recordForBacktest(records: ItemRecord[], deps: PipelineDeps, at: number): Promise<void> {
  await deps.backtest.record(
    records.map(({ job: { feedId, item } }) => ({
      feedId,
      itemKey: item.key,
      url: item.url,
      title: item.title,
      summary: item.summary,
      content: item.content,
      article: item.article,
      publishedAt: item.publishedAt,
      lang: item.lang,
      at,
    })),
  );
}

function countMatches(records: ItemRecord[], metrics: Metrics): void {
  for (const { story, matches } of records) {
    if (story && !story.isNew) metrics.duplicates.inc({ kind: 'story' });
    for (const m of matches) metrics.matched.inc({ watch: m.id });
  }
}

/** Story pickup and mention counts for the items that joined a story (src/signals/). */
async function raiseSignals(
  job: ItemsJob,
  records: ItemRecord[],
  deps: PipelineDeps,
  now: number,
): Promise<Delivery[]> {
  const sightings = records.flatMap(({ story, matches, job: { item, sighting } }) =>
    story
      ? [
          {
            storyId: story.storyId,
            feedId: job.feedId,
            feedUrl: job.feedUrl,
            itemKey: item.key,
            url: item.url,
            title: item.title,
            watches: matches.map((m) => m.id),
            sighting,
          },
        ]
      : [],
  );
  const itemKeys = records.map((r) => r.job.item.key);
  const mentions = { feedId: job.feedId, fetchedAt: job.fetchedAt, itemKeys, sightings };
  const events = await signalsOfItems(mentions, deps.current().config, deps.signals, now);
  return events.map(({ hook, payload }) => signalDelivery(hook, payload));
}

/** The alerts an item joined to its story would raise, one per sink that wants its watches. */
function planAlerts(record: ItemRecord, config: Config): PlannedAlert[] {
  const { story, job, matches } = record;
  if (!story) return [];
  const version = contentHash(job.item);
  const sinks: PlannedAlert['sink'][] = [
    ...(config.logAlerts ? [{ id: LOG_SINK }] : []),
    ...config.webhooks.filter((h) => h.url !== '').map((hook) => ({ id: hook.id, hook })),
  ];
  return sinks.flatMap((sink) => {
    const watches = sink.hook?.watches ? matches.filter((m) => sink.hook!.watches!.includes(m.id)) : matches;
    if (watches.length === 0) return [];
    const alertId = alertIdFor(story.storyId, sink.id, job.item.key, version);
    return [{ record, storyId: story.storyId, sink, watches, alertId }];
  });
}

/** One alert per item version per sink: the same job run twice gives the same id. */
function alertIdFor(storyId: string, sink: string, itemKey: string, version: string): string {
  const digest = crypto
    .createHash('sha256')
    .update(`${storyId}\n${sink}\n${itemKey}\n${version}`)
    .digest('base64url');
  return `msg_${digest.slice(0, 27)}`;
}

/** Every alert of the job claims its story's watches on its sink, in one round trip on a single Redis. */
async function claimWatches(alerts: PlannedAlert[], deps: PipelineDeps): Promise<void> {
  const claims = await deps.stories.claimAll(
    alerts.map((a) => ({
      storyId: a.storyId,
      webhookId: a.sink.id,
      watchIds: a.watches.map((m) => m.id),
      alertId: a.alertId,
    })),
  );
  alerts.forEach((a, k) => (a.claim = claims[k]));
}

/** An alert raised for a webhook, and how it goes there. */
interface Raised {
  webhookId: string;
  payload: AlertPayload;
  delivery: Delivery;
}

/** A claimed alert: written to the log, or routed to its webhook; nothing when the story had it already. */
async function raise(alert: PlannedAlert, deps: PipelineDeps, now: number): Promise<Raised | undefined> {
  const { record, storyId, sink, alertId, claim } = alert;
  if (!claim || claim.fresh.length === 0) return undefined;
  const { job } = record;
  const { item, feedId } = job;
  // An update: the story was alerted on this sink before, or this is an edited item.
  const update = claim.alertedBefore || job.sighting === 'changed';
  if (!sink.hook) {
    const log = {
      alert: alertId,
      story: storyId,
      feed: feedId,
      item: item.key,
      url: item.url,
      title: item.title,
    };
    deps.logger.info({ ...log, watches: claim.fresh, update }, 'alert');
    return undefined;
  }
  record.alerts.push(alertId);
  const payload = buildPayload({
    alertId,
    storyId,
    feed: { id: feedId, url: job.feedUrl },
    item,
    now,
    update,
    watches: alert.watches.filter((m) => claim.fresh.includes(m.id)),
  });
  return { webhookId: sink.hook.id, payload, delivery: await route(sink.hook, payload, deps, now) };
}

/** Straight to the deliver queue, or into the webhook's digest window (one job per window). */
async function route(
  hook: WebhookConfig,
  payload: AlertPayload,
  deps: PipelineDeps,
  now: number,
): Promise<Delivery> {
  const route = await deps.digests.route(hook, now);
  if (route.kind === 'now') return { kind: 'now', hook, payload };
  const { window } = route;
  await deps.digests.add(window, payload);
  const log = { alert: payload.data.alertId, webhook: hook.id, digest: window.jobId, reason: route.reason };
  deps.logger.info(log, 'alert added to a digest');
  const { key, start, end } = window;
  const data = { kind: 'digest' as const, webhookId: hook.id, key, window: { start, end } };
  // A little after the window closes, so alerts added at its last moment are in it.
  const opts = { jobId: window.jobId, attempts: triesFor(hook.retry), delay: Math.max(0, end + 2_000 - now) };
  return { kind: 'job', spec: { name: 'deliver', data, opts } };
}

/** The job's deliveries go to the deliver queue together, a webhook's alerts in one job. */
async function enqueue(deliveries: Delivery[], fetchedAt: number, deps: PipelineDeps): Promise<void> {
  const specs = deliverJobs(deliveries, fetchedAt);
  if (specs.length > 0) await deps.queues.deliver.addBulk(specs);
}
