/**
 * Real pipeline dependencies (stores, queues, HTTP client) on a test Redis, for tests that drive
 * the stage handlers directly instead of through a service process.
 */
import type { Redis } from 'ioredis';
import pino from 'pino';
import { createMetrics } from '../../src/adapters/metrics.js';
import { openQueues } from '../../src/adapters/queues.js';
import { parseConfig } from '../../src/config/load.js';
import { createSeenStore } from '../../src/dedupe/seen-store.js';
import { createStoryStore } from '../../src/dedupe/story-store.js';
import { createCircuitBreaker } from '../../src/deliver/circuit-breaker.js';
import { createMailer } from '../../src/deliver/channels/email.js';
import { alertLimits, createAlertStore } from '../../src/alerts/store.js';
import { createDigestStore } from '../../src/deliver/digest.js';
import { createArticles } from '../../src/article/index.js';
import { createFeedHttpClient, createFeedPoller, createHostLimiter } from '../../src/fetch/index.js';
import { createBacktestStore } from '../../src/match/backtest-store.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { createHttpClient } from '../../src/net/http-client.js';
import type { PipelineDeps } from '../../src/pipeline/deps.js';
import { createSignalStore, storyRetention } from '../../src/signals/store.js';
import { createWebsubStore } from '../../src/websub/store.js';

export function pipelineDeps(
  redis: Redis,
  yaml: string,
  clock: () => number = Date.now,
): PipelineDeps & { close(): Promise<void> } {
  const loaded = parseConfig(yaml, 'test.yaml', {});
  const { config } = loaded;
  const prefix = config.redisPrefix;
  const client = {
    policy: createAddressPolicy({ allowPrivateAddresses: true, allowHosts: [] }),
    userAgent: 'mediawatch-test',
  };
  // As in the service: feeds and webhooks on kept-alive connections.
  const http = createFeedHttpClient(client.policy, client.userAgent);
  const webhookHttp = createHttpClient({ ...client, keepAlive: true });
  const queues = openQueues(redis, prefix);
  const limiter = createHostLimiter({
    concurrency: config.fetch.perHostConcurrency,
    gapMs: config.fetch.perHostGap,
  });
  return {
    current: () => ({ config, matcher: loaded.matcher }),
    queues,
    clock,
    random: () => 0.5,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    poller: createFeedPoller({ http, redis, prefix, config: config.fetch, clock, limiter }),
    articles: createArticles({ redis, http, limiter, config: () => config, clock }),
    seen: createSeenStore(redis, { prefix, retentionMs: config.dedupe.seenRetention, itemsPerCall: 50 }),
    stories: createStoryStore(redis, { prefix, windowMs: config.dedupe.storyWindow, claimsPerCall: 50 }),
    backtest: createBacktestStore(redis, {
      prefix,
      retentionMs: config.backtest.retention,
      maxItems: config.backtest.maxItems,
    }),
    breaker: createCircuitBreaker(redis, { prefix }),
    digests: createDigestStore(redis, { prefix }),
    alerts: createAlertStore(redis, { prefix, limits: () => alertLimits(config) }),
    signals: createSignalStore(redis, {
      prefix,
      storyRetentionMs: storyRetention(config.dedupe.storyWindow),
    }),
    websub: createWebsubStore(redis, { prefix }),
    webhookHttp,
    mailer: createMailer(client.policy),
    close: async () => {
      http.close();
      webhookHttp.close();
      await queues.close();
    },
  };
}
