/**
 * Every Prometheus metric mediawatch exports, in one registry: mediawatch_* for its own, and the
 * default process_* and nodejs_* metrics under their standard names.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import v8 from 'node:v8';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { VERSION } from '../lib/version.js';

/** Distinct feeds, watches or webhooks that get their own series, per label; the rest share OTHER. */
export const LABEL_CAP = 100;
/** The label value of everything past the cap; ids are lower-case letters, digits, "-" and "_", so it never names one. */
export const OTHER = '(other)';

/** Maps the first `cap` distinct values to themselves, and every later one to undefined. */
function capLabel(cap: number) {
  const kept = new Set<string>();
  return (value: string): string | undefined => {
    if (kept.has(value)) return value;
    if (kept.size >= cap) return undefined;
    kept.add(value);
    return value;
  };
}
type Cap = ReturnType<typeof capLabel>;

/** A counter whose `label` is capped: increments past the cap are counted under OTHER. */
function cappedCounter<L extends string>(counter: Counter<L>, label: NoInfer<L>, cap: Cap) {
  return {
    inc(labels: Record<L, string>, value?: number): void {
      counter.inc({ ...labels, [label]: cap(labels[label]) ?? OTHER }, value);
    },
  };
}

/** A gauge whose `label` is capped: a state summed under OTHER would mean nothing, so values past the cap are not exported. */
function cappedGauge<L extends string>(gauge: Gauge<L>, label: NoInfer<L>, cap: Cap) {
  return {
    set(labels: Record<L, string>, value: number): void {
      const kept = cap(labels[label]);
      if (kept !== undefined) gauge.set({ ...labels, [label]: kept }, value);
    },
  };
}

/**
 * The heap in use just after V8's latest full collection: what the process keeps alive. The
 * default nodejs_heap_size_used_bytes swings with garbage not collected yet, so a slow leak hides in
 * it. One observer per process, whatever the number of registries.
 */
let heapAfterFullGc = 0;
let fullGcWatch: PerformanceObserver | undefined;

function watchFullCollections(): void {
  if (fullGcWatch) return;
  fullGcWatch = new PerformanceObserver((list) => {
    const kindOf = (e: PerformanceEntry) => (e as { detail?: { kind?: number } }).detail?.kind;
    const full = list.getEntries().some((e) => kindOf(e) === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full) heapAfterFullGc = v8.getHeapStatistics().used_heap_size;
  });
  fullGcWatch.observe({ entryTypes: ['gc'] });
}

export function createMetrics(opts: { labelCap?: number } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const r = [registry];
  const feed = capLabel(opts.labelCap ?? LABEL_CAP);
  const watch = capLabel(opts.labelCap ?? LABEL_CAP);
  const webhook = capLabel(opts.labelCap ?? LABEL_CAP);
  new Gauge({
    name: 'mediawatch_build_info',
    help: 'Always 1; the labels name the running version of mediawatch and Node.js',
    labelNames: ['version', 'node'],
    registers: r,
  }).set({ version: VERSION, node: process.versions.node }, 1);
  watchFullCollections();
  new Gauge({
    name: 'mediawatch_heap_after_full_gc_bytes',
    help: 'V8 heap in use just after the latest full collection: what the process keeps alive (0 before the first)',
    registers: r,
    collect() {
      this.set(heapAfterFullGc);
    },
  });
  return {
    registry,
    polls: new Counter({
      name: 'mediawatch_polls_total',
      help: 'Feed polls by outcome (parsed, not-modified, unchanged, failed, skipped-backoff, skipped-not-due); not-modified / all is the 304 ratio',
      labelNames: ['outcome'],
      registers: r,
    }),
    fetchErrors: cappedCounter(
      new Counter({
        name: 'mediawatch_fetch_errors_total',
        help: 'Failed feed polls by feed and error class',
        labelNames: ['feed', 'code'],
        registers: r,
      }),
      'feed',
      feed,
    ),
    articles: new Counter({
      name: 'mediawatch_article_reads_total',
      help: 'Article pages by outcome: read, busy (its host has a queue; the job comes back later), or why not (robots, http-status, timeout, too-large, not-html, too-little-text, paywalled, blocked, …); an unread item is matched on its feed text',
      labelNames: ['outcome'],
      registers: r,
    }),
    fetchBytes: new Counter({
      name: 'mediawatch_fetch_bytes_total',
      help: 'Feed body bytes received (after decompression)',
      registers: r,
    }),
    fetchDuration: new Histogram({
      name: 'mediawatch_fetch_duration_seconds',
      help: 'Feed fetch duration',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    }),
    itemsFetched: cappedCounter(
      new Counter({
        name: 'mediawatch_items_fetched_total',
        help: 'Items parsed from feeds',
        labelNames: ['feed'],
        registers: r,
      }),
      'feed',
      feed,
    ),
    itemsNew: cappedCounter(
      new Counter({
        name: 'mediawatch_items_new_total',
        help: 'Items not seen before (or changed) for their feed',
        labelNames: ['feed'],
        registers: r,
      }),
      'feed',
      feed,
    ),
    duplicates: new Counter({
      name: 'mediawatch_items_duplicate_total',
      help: 'Items dropped as duplicates: seen (same feed) or story (an item mentioning a watch that copies a known story)',
      labelNames: ['kind'],
      registers: r,
    }),
    matched: cappedCounter(
      new Counter({
        name: 'mediawatch_items_matched_total',
        help: 'Items that matched a watch, by watch',
        labelNames: ['watch'],
        registers: r,
      }),
      'watch',
      watch,
    ),
    alertsSent: cappedCounter(
      new Counter({
        name: 'mediawatch_alerts_sent_total',
        help: 'Alerts delivered, by webhook',
        labelNames: ['webhook'],
        registers: r,
      }),
      'webhook',
      webhook,
    ),
    alertsFailed: cappedCounter(
      new Counter({
        name: 'mediawatch_alerts_failed_total',
        help: 'Failed delivery tries, by webhook and whether they will be retried',
        labelNames: ['webhook', 'final'],
        registers: r,
      }),
      'webhook',
      webhook,
    ),
    circuitOpen: cappedGauge(
      new Gauge({
        name: 'mediawatch_webhook_circuit_open',
        help: '1 while a webhook endpoint is paused after consecutive failures',
        labelNames: ['webhook'],
        registers: r,
      }),
      'webhook',
      webhook,
    ),
    publishToAlert: new Histogram({
      name: 'mediawatch_publish_to_alert_seconds',
      help: 'From the item publication date to delivery',
      buckets: [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400],
      registers: r,
    }),
    fetchToAlert: new Histogram({
      name: 'mediawatch_fetch_to_alert_seconds',
      help: 'From fetching the item to delivering its alert',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
      registers: r,
    }),
    jobDuration: new Histogram({
      name: 'mediawatch_job_duration_seconds',
      help: 'Job processing time by queue',
      labelNames: ['queue'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: r,
    }),
    ticksMissed: new Counter({
      name: 'mediawatch_scheduler_ticks_missed_total',
      help: "Scheduler ticks node-cron fired too late (late: event loop blocked; their feeds are polled late, at the tick's own time) or skipped while the previous tick was still queuing its polls (overlap)",
      labelNames: ['reason'],
      registers: r,
    }),
    websubSubscriptions: new Gauge({
      name: 'mediawatch_websub_subscriptions',
      help: 'WebSub subscriptions by status (active, pending, failing, denied, expired, silent: the hub stopped delivering while polls find items, unsubscribing)',
      labelNames: ['status'],
      registers: r,
    }),
    websubDeliveries: new Counter({
      name: 'mediawatch_websub_deliveries_total',
      help: 'Content pushed by WebSub hubs, by outcome (accepted, unsigned and bad-signature: dropped, unknown: no such subscription, unparsable)',
      labelNames: ['outcome'],
      registers: r,
    }),
    websubRequests: new Counter({
      name: 'mediawatch_websub_requests_total',
      help: 'Subscribe and unsubscribe requests sent to hubs, by mode and outcome (accepted, failed, unconfirmed)',
      labelNames: ['mode', 'outcome'],
      registers: r,
    }),
    websubVerifications: new Counter({
      name: 'mediawatch_websub_verifications_total',
      help: "Hubs' verifications of intent, by mode and outcome (confirmed; refused: not a request of ours, answered 404; denied: the hub refused the subscription)",
      labelNames: ['mode', 'outcome'],
      registers: r,
    }),
    queueDepth: new Gauge({
      name: 'mediawatch_queue_depth',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: r,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
