/**
 * The composition root: loads and validates the config, connects to Redis, builds the stages
 * and starts the requested roles, the HTTP endpoint, config reloads and graceful shutdown.
 * Everything that varies (clock, HTTP, Redis, logger) is created here and passed down.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { systemClock } from '../adapters/clock.js';
import { resolveRedis } from '../adapters/local-redis.js';
import type { Logger } from '../adapters/logger.js';
import { createMetrics } from '../adapters/metrics.js';
import { openQueues } from '../adapters/queues.js';
import { assertNoEviction, connectRedis, describeRedisUrl, isCluster } from '../adapters/redis.js';
import { combine, loadLive } from '../config/live-config.js';
import { createLiveConfigStore, type LiveConfigStore } from '../config/live-store.js';
import { checkConfig, DEFAULT_CONFIG_PATH, loadConfigFile, type LoadedConfig } from '../config/load.js';
import { registerApi } from '../api/index.js';
import { MediawatchError } from '../contracts/errors.js';
import { createCircuitBreaker } from '../deliver/circuit-breaker.js';
import { createDigestStore } from '../deliver/digest.js';
import { alertLimits, createAlertStore } from '../alerts/store.js';
import { createSeenStore } from '../dedupe/seen-store.js';
import { createStoryStore } from '../dedupe/story-store.js';
import { createArticles } from '../article/index.js';
import { createFeedHttpClient, createFeedPoller, createHostLimiter } from '../fetch/index.js';
import { createBacktestStore } from '../match/backtest-store.js';
import { createAddressPolicy } from '../net/address-policy.js';
import { createMailer } from '../deliver/channels/email.js';
import { createHttpClient } from '../net/http-client.js';
import { createSignalStore, storyRetention } from '../signals/store.js';
import { USER_AGENT } from '../net/user-agent.js';
import { countStatuses, createWebsubStore, registerWebsub } from '../websub/index.js';
import type { Current, PipelineDeps } from '../pipeline/deps.js';
import { createDashboard, DASHBOARD_PATH } from './dashboard.js';
import { startHttpServer } from './http-server.js';
import type { RoleName, RoleStarters, Scheduler } from './roles.js';

export interface RunOptions {
  roles: RoleName[];
  /** What starts each role (workers/index.ts). */
  start: RoleStarters;
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

const SHUTDOWN_GRACE_MS = 8_000;
/** How often a process checks the live configuration's version, in case it missed an announcement. */
const LIVE_CHECK_MS = 1_000;
/** Built into connections and stores at start; watches, feeds, webhooks and schedules reload live. */
const RESTART_ONLY = ['redisPrefix', 'network', 'fetch', 'dedupe', 'backtest', 'dashboard'] as const;

export async function runService({
  roles,
  start,
  env,
  logger,
}: RunOptions): Promise<{ stop: () => Promise<void> }> {
  const configPath = env.MEDIAWATCH_CONFIG || DEFAULT_CONFIG_PATH;
  let loaded = loadConfigFile(configPath, env);
  logConfig(loaded, logger);
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new MediawatchError('config', `PORT "${env.PORT}" is not a port number`);

  const redisTarget = await resolveRedis(env, logger);
  const client = connectRedis(redisTarget.url, 'client');
  client.on('error', () => undefined); // reported through readiness and the failing operations
  try {
    await waitForRedis(client, redisTarget.url, logger);
    await assertNoEviction(client);
  } catch (err) {
    // An open connection would keep the process alive after it reported that it did not start.
    client.disconnect();
    await redisTarget.stop();
    throw err;
  }
  const workerConnection = connectRedis(redisTarget.url, 'worker');
  workerConnection.on('error', () => undefined);

  const metrics = createMetrics();
  const current = (): Current => ({ config: loaded.config, matcher: loaded.matcher });
  const prefix = loaded.config.redisPrefix;
  const network = loaded.config.network;
  const policy = createAddressPolicy({
    allowPrivateAddresses: network.allowPrivateAddresses,
    allowHosts: [...network.allowHosts],
  });
  const userAgent = loaded.config.fetch.userAgent ?? USER_AGENT;
  const feedHttp = createFeedHttpClient(policy, userAgent);
  const queues = openQueues(client, prefix);
  // A poll's items, and a job's watch claims, 50 to a script call (a call blocks Redis for a few
  // ms at most), except on a Cluster, where their keys live on other nodes.
  const perCall = isCluster(client) ? 1 : 50;
  // Feeds and article pages of one host share its politeness limits.
  const { fetch } = loaded.config;
  const limiter = createHostLimiter({ concurrency: fetch.perHostConcurrency, gapMs: fetch.perHostGap });
  const deps: PipelineDeps = {
    current,
    queues,
    metrics,
    logger,
    clock: systemClock,
    random: Math.random,
    poller: createFeedPoller({
      http: feedHttp,
      redis: client,
      prefix,
      config: fetch,
      clock: systemClock,
      logger,
      limiter,
    }),
    articles: createArticles({
      redis: client,
      http: feedHttp,
      limiter,
      config: () => loaded.config,
      clock: systemClock,
    }),
    seen: createSeenStore(client, {
      prefix,
      retentionMs: loaded.config.dedupe.seenRetention,
      itemsPerCall: perCall,
    }),
    stories: createStoryStore(client, {
      prefix,
      windowMs: loaded.config.dedupe.storyWindow,
      claimsPerCall: perCall,
    }),
    backtest: createBacktestStore(client, {
      prefix,
      retentionMs: loaded.config.backtest.retention,
      maxItems: loaded.config.backtest.maxItems,
    }),
    breaker: createCircuitBreaker(client, { prefix }),
    digests: createDigestStore(client, { prefix }),
    alerts: createAlertStore(client, { prefix, limits: () => alertLimits(loaded.config) }),
    signals: createSignalStore(client, {
      prefix,
      storyRetentionMs: storyRetention(loaded.config.dedupe.storyWindow),
    }),
    websub: createWebsubStore(client, { prefix }),
    webhookHttp: createHttpClient({ policy, userAgent, keepAlive: true }),
    mailer: createMailer(policy),
  };

  // The API is on when the config names a token at start; its tokens themselves reload live.
  const live = loaded.config.api.tokens.some((t) => t.token !== '')
    ? createLiveConfigStore(client, { prefix, auditMaxEntries: loaded.config.api.auditMaxEntries })
    : undefined;
  let liveVersion: string | undefined;
  if (live) {
    const first = await loadLive(live, loaded).catch(async (err: unknown) => {
      client.disconnect();
      workerConnection.disconnect();
      await redisTarget.stop();
      throw err;
    });
    ({ loaded, version: liveVersion } = first);
    logger.info(
      { version: liveVersion },
      'API on: feeds, watches and webhooks come from the live configuration in Redis',
    );
  } else {
    logger.info('API and console off: no API token is configured (api.tokens)');
  }

  const workers: Worker[] = [];
  let scheduler: Scheduler | undefined;
  if (roles.includes('fetch')) workers.push(start.fetch(deps, workerConnection));
  if (roles.includes('article')) workers.push(start.article(deps, workerConnection));
  if (roles.includes('match'))
    workers.push(start.match(deps, workerConnection), start.signals(deps, workerConnection));
  if (roles.includes('deliver')) workers.push(start.deliver(deps, workerConnection));
  for (const w of workers)
    w.on('error', (err) => logger.error({ queue: w.name, err: err.message }, 'worker error'));
  if (roles.includes('scheduler')) scheduler = start.scheduler(deps);

  const { dashboard } = loaded.config;
  const reloaded = async (why: string) => {
    const file = loadConfigFile(configPath, env);
    if (!live) return file;
    const next = await loadLive(live, file);
    if (why === 'file changed' && next.fileDiffers) {
      logger.warn(
        "the file's feeds, watches and webhooks are not applied: the live configuration holds them (mediawatch config export)",
      );
    }
    liveVersion = next.version;
    return next.loaded;
  };
  let reloading = Promise.resolve();
  const reload = (why: string) => (reloading = reloading.then(() => reloadNow(why)));
  const server = await startHttpServer({
    port,
    bodyLimit: loaded.config.api.maxBodyBytes,
    extend: async (app) => {
      await registerWebsub(app, deps);
      if (live) {
        await registerApi(app, {
          store: live,
          current: () => loaded,
          redis: client,
          stories: deps.stories,
          backtest: deps.backtest,
          feedHttp,
          logger,
          clock: systemClock,
          alerts: deps.alerts,
          queue: queues.deliver,
          breaker: deps.breaker,
          channels: { http: deps.webhookHttp, mailer: deps.mailer },
          validate: (doc) => checkConfig(combine(loaded.raw, doc), 'the live configuration'),
          applied: async (version) => {
            if (version !== liveVersion) await reload('changed through the API');
          },
        });
        await registerConsoleIfPresent(app); // console hook: src/console/index.ts registerConsole(app)
      }
    },
    mounts: dashboard.enabled ? { [DASHBOARD_PATH]: await createDashboard(queues, dashboard.token) } : {},
    registry: metrics.registry,
    ready: () => client.status === 'ready' && workers.every((w) => w.isRunning()),
    beforeScrape: async () => {
      const depths = [
        ['poll', queues.poll],
        ['article', queues.article],
        ['items', queues.items],
        ['deliver', queues.deliver],
        ['signals', queues.signals],
      ] as const;
      for (const [name, queue] of depths) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) metrics.queueDepth.set({ queue: name, state }, n);
      }
      for (const [status, n] of Object.entries(await countStatuses(deps)))
        metrics.websubSubscriptions.set({ status }, n);
    },
  });
  logger.info(
    { roles, port, redis: describeRedisUrl(redisTarget.url), config: configPath },
    'mediawatch started',
  );

  async function reloadNow(why: string): Promise<void> {
    try {
      const next = await reloaded(why);
      const fixed = RESTART_ONLY.filter(
        (k) => JSON.stringify(next.config[k]) !== JSON.stringify(loaded.config[k]),
      );
      if (fixed.length > 0)
        logger.warn(
          { sections: fixed },
          'these config sections take effect after a restart; the rest is applied now',
        );
      loaded = next;
      scheduler?.reload();
      logger.info(
        {
          why,
          feeds: next.config.feeds.length,
          watches: next.config.watches.length,
          webhooks: next.config.webhooks.length,
        },
        'config reloaded',
      );
    } catch (err) {
      logger.error(
        { why, err: (err as Error).message },
        'config reload rejected; the previous config stays in force',
      );
    }
  }
  const watcher = watchFile(configPath, () => void reload('file changed'));
  const stopFollowing =
    live &&
    (await followLive(
      live,
      () => liveVersion,
      () => void reload('live configuration changed'),
    ));
  const onHup = () => void reload('SIGHUP');
  process.on('SIGHUP', onHup);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: no new jobs, finishing the ones in flight');
      process.off('SIGHUP', onHup);
      watcher?.close();
      await stopFollowing?.();
      await scheduler?.stop();
      // Workers finish in-flight jobs; past the grace period, a job is left to be picked up
      // again as stalled by the next process, never lost.
      await withDeadline(Promise.all(workers.map((w) => w.close())), SHUTDOWN_GRACE_MS);
      await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
      await queues.close().catch(() => undefined);
      feedHttp.close();
      deps.webhookHttp.close();
      await server.close();
      await Promise.all([quit(client), quit(workerConnection)]);
      await redisTarget.stop();
      logger.info('stopped');
    })());
  return { stop };
}

/** Calls `onChange` within a second or two of a new live version: announced, or seen by a periodic check. */
async function followLive(
  live: LiveConfigStore,
  running: () => string | undefined,
  onChange: () => void,
): Promise<() => Promise<void>> {
  const changed = (version: string | undefined) =>
    version !== undefined && version !== running() && onChange();
  const unsubscribe = await live.subscribe(changed);
  const timer = setInterval(() => void live.version().then(changed, () => undefined), LIVE_CHECK_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await unsubscribe();
  };
}

/** Serves the web console when its module is part of the build. */
async function registerConsoleIfPresent(app: FastifyInstance): Promise<void> {
  const module = '../console/index.js';
  const missing = (err: Error & { code?: string }) =>
    err.code === 'ERR_MODULE_NOT_FOUND' ? undefined : Promise.reject(err);
  const consoleModule = (await import(module).catch(missing)) as
    { registerConsole?: (app: FastifyInstance) => Promise<void> | void } | undefined;
  await consoleModule?.registerConsole?.(app);
}

async function waitForRedis(client: Redis, url: string, logger: Logger, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let warned = false;
  while (Date.now() < end) {
    if (client.status === 'ready') return;
    if (!warned && Date.now() > end - timeoutMs + 2_000) {
      logger.warn({ redis: describeRedisUrl(url) }, 'waiting for Redis…');
      warned = true;
    }
    await sleep(100);
  }
  throw new MediawatchError(
    'redis',
    `Redis at ${describeRedisUrl(url)} did not answer within ${timeoutMs / 1000} s`,
  );
}

function logConfig(loaded: LoadedConfig, logger: Logger): void {
  for (const hook of loaded.config.webhooks) {
    if (hook.url === '')
      logger.warn(
        { webhook: hook.id },
        'webhook disabled: its URL is empty (is the environment variable set?); alerts still go to the log',
      );
  }
}

function watchFile(file: string, onChange: () => void): fs.FSWatcher | undefined {
  // The folder, not the file: editors and ConfigMap updates replace the file by a rename.
  const name = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  try {
    return fs.watch(path.dirname(path.resolve(file)), (_, changed) => {
      if (changed !== null && changed !== name && !changed.startsWith('..')) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, 300);
    });
  } catch {
    return undefined;
  }
}

async function quit(redis: Redis): Promise<void> {
  await withDeadline(
    redis.quit().catch(() => undefined),
    1_000,
  );
  redis.disconnect();
}

/** Waits for the work or the deadline, whichever comes first, leaving no timer behind. */
async function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
