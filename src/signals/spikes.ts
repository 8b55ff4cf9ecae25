/**
 * Mention spikes: the match phase counts each watch's new mentions per hour (by the time the items
 * were fetched, so a retried job counts in the same hour, once); once an hour is over, one
 * evaluation per hour closes the counts and judges them against the watch's own baseline for every
 * webhook with a spike signal, raising `mention.spike` events when a spike starts and ends.
 */
import crypto from 'node:crypto';
import type { Config, SpikeSignalConfig, WebhookConfig } from '../config/schema.js';
import type { SpikePayload } from '../contracts/signals.js';
import { signalId } from './ids.js';
import { HOUR_MS, hourOf, judgeHour, type SpikeVerdict } from './spike.js';
import type { MentionCount, SignalStore } from './store.js';

/** A webhook's spike rule for one watch. The first spike signal of a webhook naming a watch is its rule. */
export interface SpikeWatch {
  hook: WebhookConfig;
  signal: SpikeSignalConfig;
  watch: string;
}

export interface SpikeEvent {
  hook: WebhookConfig;
  payload: SpikePayload;
}

export function spikeWatches(config: Config): SpikeWatch[] {
  return config.webhooks
    .filter((h) => h.url !== '')
    .flatMap((hook) => {
      const seen = new Set<string>();
      return hook.signals.flatMap((signal) => {
        if (signal.type !== 'spike') return [];
        const watches = signal.watches ?? hook.watches ?? config.watches.map((w) => w.id);
        return watches.filter((w) => !seen.has(w) && seen.add(w)).map((watch) => ({ hook, signal, watch }));
      });
    });
}

/** An items job's new mentions of the watches some spike signal follows, counted once per job. */
export function mentionCounts(
  config: Config,
  job: { feedId: string; fetchedAt: number; itemKeys: string[] },
  mentions: { watches: string[] }[],
): MentionCount[] {
  const followed = new Set(spikeWatches(config).map((s) => s.watch));
  const perWatch = new Map<string, number>();
  for (const m of mentions)
    for (const w of m.watches) if (followed.has(w)) perWatch.set(w, (perWatch.get(w) ?? 0) + 1);
  if (perWatch.size === 0) return [];
  const jobName = crypto
    .createHash('sha256')
    .update([job.feedId, job.fetchedAt, ...job.itemKeys].join('\n'))
    .digest('base64url')
    .slice(0, 16);
  const hour = hourOf(job.fetchedAt);
  return [...perWatch].map(([watch, n]) => ({ watch, hour, job: jobName, mentions: n }));
}

/** Closes the hour for every followed watch and returns the spike events it starts or ends. */
export async function evaluateHour(
  hour: number,
  config: Config,
  store: SignalStore,
  now: number,
): Promise<SpikeEvent[]> {
  const rules = spikeWatches(config);
  const watches = [...new Set(rules.map((r) => r.watch))];
  const closed = new Map(
    await Promise.all(watches.map(async (w) => [w, await store.closeHour(w, hour)] as const)),
  );
  const events = await Promise.all(
    rules.map(async (rule) => {
      const { count, past } = closed.get(rule.watch)!;
      const starting = judgeHour(count, past, rule.signal, false);
      const carrying = judgeHour(count, past, rule.signal, true);
      const state = await store.decide(rule.watch, rule.hook.id, hour, {
        starts: starting.spiking,
        carriesOn: carrying.spiking,
      });
      if (!state.changed || state.startHour === undefined) return [];
      return [
        {
          hook: rule.hook,
          payload: spikePayload(rule, config, hour, count, state.on, state.startHour, starting, now),
        },
      ];
    }),
  );
  return events.flat();
}

function spikePayload(
  { hook, watch }: SpikeWatch,
  config: Config,
  hour: number,
  count: number,
  on: boolean,
  startHour: number,
  verdict: SpikeVerdict,
  now: number,
): SpikePayload {
  const phase = on ? 'start' : 'end';
  const iso = (h: number) => new Date(h * HOUR_MS).toISOString();
  return {
    type: 'mention.spike',
    timestamp: new Date(now).toISOString(),
    data: {
      signalId: signalId('spike', hook.id, watch, startHour, phase),
      phase,
      watch: { id: watch, label: config.watches.find((w) => w.id === watch)?.label ?? watch },
      hour: { start: iso(hour), end: iso(hour + 1) },
      spikeStartedAt: iso(startHour),
      count,
      baseline: verdict.baseline,
      threshold: verdict.threshold,
    },
  };
}
