/**
 * What the pipeline stages need, passed in once by the composition root (src/service/runtime.ts).
 * The config is read through a getter on every job, so a hot reload applies to the next job.
 */
import type { AlertStore } from '../alerts/store.js';
import type { Articles } from '../article/index.js';
import type { Clock } from '../adapters/clock.js';
import type { Logger } from '../adapters/logger.js';
import type { Metrics } from '../adapters/metrics.js';
import type { Queues } from '../adapters/queues.js';
import type { Config } from '../config/schema.js';
import type { Matcher } from '../contracts/match.js';
import type { CircuitBreaker } from '../deliver/circuit-breaker.js';
import type { Mailer } from '../deliver/channels/email.js';
import type { DigestStore } from '../deliver/digest.js';
import type { SeenStore } from '../dedupe/seen-store.js';
import type { StoryStore } from '../dedupe/story-store.js';
import type { FeedPoller } from '../fetch/index.js';
import type { BacktestStore } from '../match/backtest-store.js';
import type { HttpClient } from '../net/http-client.js';
import type { SignalStore } from '../signals/store.js';
import type { WebsubStore } from '../websub/store.js';

export interface Current {
  config: Readonly<Config>;
  matcher: Matcher;
}

export interface PipelineDeps {
  current(): Current;
  queues: Queues;
  poller: FeedPoller;
  articles: Articles;
  seen: SeenStore;
  stories: StoryStore;
  backtest: BacktestStore;
  breaker: CircuitBreaker;
  digests: DigestStore;
  /** The recent alerts and their delivery state. */
  alerts: AlertStore;
  signals: SignalStore;
  /** WebSub subscriptions: the hub each feed advertises, leases, secrets, last push. */
  websub: WebsubStore;
  webhookHttp: HttpClient;
  /** SMTP for webhooks of format email. */
  mailer: Mailer;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  random: () => number;
}
