/**
 * The one schema of the config file. Validated once at start (src/config/load.ts), then frozen.
 * Every default lives here, so the shipped YAML can stay short.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { STEMMED_LANGUAGES } from '../language/stem.js';
import { channelBlocks, checkChannel, FORMATS } from './channels.js';
import { parseDuration } from './duration.js';
import { googleNewsUrl } from './google-news.js';

const ID = /^[a-z0-9_-]+$/;
const id = z.string().regex(ID, 'must be lower-case letters, digits, "-" or "_"');

const duration = z.union([z.number().int().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (use e.g. 500ms, 30s, 15m, 2h, 7d)` });
    return z.NEVER;
  }
  return ms;
});

const cronExpr = z.string().superRefine((s, ctx) => {
  if (!cron.validate(s))
    ctx.addIssue({
      code: 'custom',
      message: `"${s}" is not a valid cron expression (5 fields, or 6 with seconds first)`,
    });
});

const httpUrl = z.string().superRefine((s, ctx) => {
  if (!URL.canParse(s) || !['http:', 'https:'].includes(new URL(s).protocol)) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not an http(s) URL` });
  }
});

/** Standard Webhooks secrets: "whsec_" + base64 of 24 to 64 random bytes. */
const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;
const secret = z.string().superRefine((s, ctx) => {
  const m = WHSEC.exec(s);
  const bytes = m ? Buffer.from(m[1], 'base64').length : 0;
  if (!m)
    ctx.addIssue({ code: 'custom', message: 'must look like whsec_<base64> (Standard Webhooks secret)' });
  else if (bytes < 24 || bytes > 64)
    ctx.addIssue({ code: 'custom', message: `decodes to ${bytes} bytes; use 24 to 64 random bytes` });
});

/** never: the feed's text only; auto: read the page when the item's text is short; always: read every page. */
const fullTextMode = z.enum(['never', 'auto', 'always']);

const fullText = z.strictObject({
  mode: fullTextMode.default('auto'),
  /** In auto mode, an item whose own text (summary and content) is shorter than this has its page read. */
  minChars: z.number().int().nonnegative().default(600),
  /** Obey robots.txt (RFC 9309, and Crawl-delay) for our user agent. */
  robots: z.boolean().default(true),
  timeout: duration.default(20_000),
  /** Largest page, counted after decompression. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
});

/** What a feed is; detected from the document when omitted (googlenews needs saying, as it builds its URL). */
export const FEED_TYPES = ['rss', 'jsonfeed', 'sitemap', 'googlenews', 'googlealerts'] as const;

/** What a sitemap feed uses when its config leaves `window` and `maxSitemaps` out. */
export const SITEMAP_DEFAULTS = { windowMs: 2 * 86_400_000, maxSitemaps: 5 };

const feed = z
  .strictObject({
    id,
    /** Optional only for `googlenews`, which builds it from query, lang and country. */
    url: httpUrl.optional(),
    type: z.enum(FEED_TYPES).optional(),
    schedule: cronExpr.optional(),
    /** Send If-None-Match / If-Modified-Since; off for servers whose validators lie. */
    conditional: z.boolean().default(true),
    /** Poll as often as the feed publishes, within fetch.adaptive bounds. */
    adaptive: z.boolean().optional(),
    /** googlenews: the search, in Google News syntax (e.g. "Macron" or "\"Emmanuel Macron\" when:1d"). */
    query: z.string().trim().min(1).optional(),
    /** googlenews: the edition's language and country (ISO 639-1, ISO 3166-1). */
    lang: z
      .string()
      .regex(/^[a-z]{2,3}$/, 'a language code such as "en" or "fr"')
      .optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'a country code such as "US" or "FR"')
      .optional(),
    /** sitemap: entries older than this are ignored (default SITEMAP_DEFAULTS.windowMs). */
    window: duration.optional(),
    /** sitemap: child sitemaps of an index (nested indexes included) fetched per poll, the most recently modified first. */
    maxSitemaps: z.number().int().positive().max(100).optional(),
    /**
     * When to fetch the article's full text: sitemap entries carry only a title, so `always` is
     * their default; other feeds leave it unset (the fetch stage's default).
     */
    fullText: fullTextMode.optional(),
    /** The outlet its items count for in story pickup (default: the feed URL's host). */
    outlet: z.string().trim().min(1).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.url === undefined && f.type !== 'googlenews')
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'a feed needs a "url" (only type googlenews builds one from "query")',
      });
    if (f.url === undefined && f.type === 'googlenews' && f.query === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['query'],
        message: 'a googlenews feed needs a "query" (or a "url")',
      });
  })
  .transform(({ url, ...f }) => ({
    ...f,
    url: url ?? googleNewsUrl({ query: f.query ?? '', lang: f.lang ?? 'en', country: f.country ?? 'US' }),
    ...(f.fullText === undefined && f.type === 'sitemap' ? { fullText: 'always' as const } : {}),
  }));

const watch = z
  .strictObject({
    id,
    label: z.string().min(1).optional(),
    names: z.array(z.string().trim().min(1, 'a name may not be empty')).optional(),
    terms: z.array(z.string().trim().min(1, 'a term may not be empty')).optional(),
    /** Terms match their inflected forms: true (the language each is written in) or a language code. */
    inflect: z.union([z.boolean(), z.enum(STEMMED_LANGUAGES as [string, ...string[]])]).optional(),
    exclude: z.array(z.string().trim().min(1, 'an exclude phrase may not be empty')).optional(),
    query: z.string().trim().min(1).optional(),
  })
  .refine((w) => (w.names?.length ?? 0) > 0 || (w.terms?.length ?? 0) > 0 || w.query !== undefined, {
    message: 'a watch needs "terms" or "names" (a list) or a "query"',
  })
  .transform((w) => ({ ...w, label: w.label ?? w.id }));

/** A webhook's URL, or for format email its SMTP server (smtp:// or smtps://). */
const sinkUrl = z.string().superRefine((s, ctx) => {
  if (!URL.canParse(s) || !['http:', 'https:', 'smtp:', 'smtps:'].includes(new URL(s).protocol)) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not an http(s) URL (or, for format email, smtp(s))` });
  } else if (new URL(s).password !== '') {
    ctx.addIssue({
      code: 'custom',
      message: "put no password in the URL (it would be logged); use the format's block",
    });
  }
});

/** Thresholds of distinct outlets, each sent once per story, in ascending order. */
const outletCounts = z
  .union([z.number().int().min(2), z.array(z.number().int().min(2)).min(1)])
  .transform((v) => [...new Set(Array.isArray(v) ? v : [v])].sort((a, b) => a - b));

/** Story pickup and mention spikes, sent to the webhook as events of their own (docs/signals.md). */
const signal = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('pickup'),
    /** Stories that mention one of these watches (default: the webhook's watches, else all). */
    watches: z.array(id).optional(),
    outlets: outletCounts,
    within: duration.pipe(z.number().int().min(60_000, 'a pickup window is at least 1m')).default(3_600_000),
  }),
  z.strictObject({
    type: z.literal('spike'),
    watches: z.array(id).optional(),
    /** How many robust deviations above the usual count an hour must be to start a spike. */
    sensitivity: z.number().positive().default(4),
    /** Fewer mentions in an hour are never a spike. */
    minCount: z.number().int().positive().default(5),
  }),
]);

const webhook = z.strictObject({
  id,
  /** Empty (e.g. an unset environment variable) disables the webhook, with a log line. */
  url: z.union([z.literal(''), sinkUrl]),
  /** One secret, or two during a rotation (both signatures are sent); only signed formats have one. */
  secret: z.union([z.literal(''), secret, z.array(secret).min(1).max(2)]).default(''),
  watches: z.array(id).optional(),
  format: z.enum(FORMATS).default('standard'),
  ...channelBlocks,
  timeout: duration.default(15_000),
  /** Delays between tries, after the first; the Standard Webhooks recommendation by default. */
  retry: z
    .array(duration)
    .min(0)
    .max(20)
    .default(['5s', '5m', '30m', '2h', '5h', '10h', '10h'].map((d) => parseDuration(d)!)),
  /** Consecutive failures that open the endpoint's circuit. */
  breakerThreshold: z.number().int().positive().default(5),
  /** Batch alerts into one POST per window (e.g. 15m) instead of one POST per alert. */
  digest: duration.pipe(z.number().int().min(60_000, 'a digest window is at least 1m')).optional(),
  /** Alerts past this many in an hour are batched into one POST at the end of the hour. */
  maxPerHour: z.number().int().positive().optional(),
  signals: z.array(signal).default([]),
});

const network = z.strictObject({
  allowPrivateAddresses: z.boolean().default(false),
  /** Hosts or CIDRs allowed even though they are private (e.g. an internal receiver). */
  allowHosts: z.array(z.string().min(1)).default([]),
});

const fetchOptions = z.strictObject({
  connectTimeout: duration.default(10_000),
  totalTimeout: duration.default(30_000),
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(15 * 1024 * 1024),
  maxRedirects: z.number().int().min(0).max(20).default(5),
  perHostConcurrency: z.number().int().positive().default(2),
  perHostGap: duration.default(500),
  /** A tick's polls start spread evenly over this long (never past the next tick); 0 starts them all at once. */
  spread: duration.default(60_000),
  maxBackoff: duration.default(6 * 3_600_000),
  userAgent: z.string().min(1).optional(),
  adaptive: z
    .strictObject({
      enabled: z.boolean().default(false),
      min: duration.default(120_000),
      max: duration.default(3_600_000),
    })
    .prefault({}),
});

const dedupe = z.strictObject({
  seenRetention: duration.default(30 * 86_400_000),
  storyWindow: duration.default(72 * 3_600_000),
});

const backtest = z.strictObject({
  retention: duration.default(7 * 86_400_000),
  maxItems: z.number().int().positive().default(200_000),
});

/** The recent-alerts record behind `GET /api/v1/alerts` and the console's alerts page. */
const alerts = z.strictObject({
  /** How long an alert and its delivery state are kept. */
  retention: duration
    .refine((ms) => ms >= 60_000, 'keep alerts at least a minute (e.g. 7d)')
    .default(7 * 86_400_000),
  /** At most this many alerts are kept; the oldest go first. */
  maxAlerts: z.number().int().positive().max(1_000_000).default(10_000),
});

const dashboard = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** The password of the dashboard (any user name); from the environment, e.g. ${MEDIAWATCH_ADMIN_TOKEN}. */
    token: z.string().default(''),
  })
  .superRefine((d, ctx) => {
    if (d.enabled && d.token.length < 16)
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message: 'the dashboard needs a token of at least 16 characters',
      });
  });

/** One API token; an empty one (an unset environment variable) is no token, and is logged. */
const apiToken = z.strictObject({
  /** Recorded in the audit log as who made a change. */
  name: id,
  token: z.union([z.literal(''), z.string().min(16, 'an API token has at least 16 characters')]),
  /** read: GET only (and previews); write: changes too. */
  scope: z.enum(['read', 'write']).default('read'),
});

const api = z.strictObject({
  /** No token: the API and the console are off. */
  tokens: z.array(apiToken).default([]),
  /** Request bodies larger than this get 413. */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .max(16 * 1024 * 1024)
    .default(256 * 1024),
  /** Changes kept in the audit log (a capped stream). */
  auditMaxEntries: z.number().int().positive().default(10_000),
});

/** The public base URL hubs call back: http(s), no query or fragment; a trailing "/" is dropped. */
const callbackBase = z
  .string()
  .superRefine((s, ctx) => {
    if (!URL.canParse(s) || !['http:', 'https:'].includes(new URL(s).protocol))
      ctx.addIssue({
        code: 'custom',
        message: `"${s}" is not an http(s) URL (the public URL of this service)`,
      });
    else if (new URL(s).search !== '' || new URL(s).hash !== '')
      ctx.addIssue({ code: 'custom', message: `"${s}" has a query or fragment; give the base URL only` });
  })
  .transform((s) => s.replace(/\/+$/, ''));

/** WebSub push (docs/sources.md): subscribing to the hubs feeds advertise, when callbackBase is set. */
const websub = z.strictObject({
  /** The URL under which hubs reach this service's /websub/<feed> (off when unset). */
  callbackBase: callbackBase.optional(),
  /** The lease asked of hubs; a hub may grant another, which is what counts. */
  leaseSeconds: z
    .number()
    .int()
    .min(60, 'a lease is at least 60 seconds')
    .max(365 * 86_400)
    .default(7 * 86_400),
  /** A lease is renewed once this part of it has passed. */
  renewAt: z.number().gt(0.1).lt(1, 'renew before the lease ends (a fraction below 1)').default(0.8),
  /** A feed pushed to is still polled, this many times less often, as a safety net. */
  pollSlowdown: z.number().min(1).max(1000).default(4),
  /** Polls that find items the hub did not push, with no push for this long: the hub is reported silent. */
  silentAfter: duration.default(3_600_000),
  /** Failed subscribe and unsubscribe requests are retried after this, doubling up to retryMax. */
  retryMin: duration.pipe(z.number().int().min(100, 'retryMin is at least 100ms')).default(60_000),
  retryMax: duration.default(6 * 3_600_000),
  /** How long a hub may take to confirm a request it accepted before it is sent again. */
  verifyWithin: duration.default(600_000),
  /** How often the scheduler role reviews subscriptions (renewals, retries, removed feeds). */
  checkEvery: duration.pipe(z.number().int().min(100, 'checkEvery is at least 100ms')).default(30_000),
  /** Timeout of a request to a hub. */
  timeout: duration.default(15_000),
});

export const configSchema = z
  .strictObject({
    schedule: cronExpr.default('*/5 * * * *'),
    /** Key prefix for everything mediawatch keeps in Redis. */
    redisPrefix: z
      .string()
      .regex(/^[A-Za-z0-9:_{}-]+$/)
      .default('mw'),
    network: network.prefault({}),
    fetch: fetchOptions.prefault({}),
    dedupe: dedupe.prefault({}),
    /** Reading the article page of items whose feed gives only a teaser. */
    fullText: fullText.prefault({}),
    backtest: backtest.prefault({}),
    alerts: alerts.prefault({}),
    /** The bull-board queue dashboard at /admin/queues. */
    dashboard: dashboard.prefault({}),
    /** The HTTP API at /api/v1 and the web console; live watches, webhooks and feeds in Redis. */
    api: api.prefault({}),
    websub: websub.prefault({}),
    /** Every alert is also written to the log. */
    logAlerts: z.boolean().default(true),
    feeds: z.array(feed).default([]),
    watches: z.array(watch).min(1, 'watch at least one person or topic'),
    webhooks: z.array(webhook).default([]),
  })
  .superRefine((c, ctx) => {
    uniqueIds(c.feeds, 'feeds', ctx);
    uniqueIds(c.watches, 'watches', ctx);
    uniqueIds(c.webhooks, 'webhooks', ctx);
    uniqueIds(
      c.api.tokens.map((t) => ({ id: t.name })),
      'api.tokens',
      ctx,
    );
    const watchIds = new Set(c.watches.map((w) => w.id));
    c.webhooks.forEach((h, i) => {
      h.watches?.forEach((w, j) => {
        if (!watchIds.has(w))
          ctx.addIssue({
            code: 'custom',
            path: ['webhooks', i, 'watches', j],
            message: `no watch has the id "${w}"`,
          });
      });
      checkChannel(h, ['webhooks', i], ctx);
      h.signals.forEach((sig, k) =>
        sig.watches?.forEach((w, j) => {
          if (!watchIds.has(w))
            ctx.addIssue({
              code: 'custom',
              path: ['webhooks', i, 'signals', k, 'watches', j],
              message: `no watch has the id "${w}"`,
            });
        }),
      );
    });
  });

function uniqueIds(list: { id: string }[], key: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  const at = key.split('.');
  list.forEach((x, i) => {
    if (seen.has(x.id))
      ctx.addIssue({
        code: 'custom',
        path: [...at, i, at.length > 1 ? 'name' : 'id'],
        message: `duplicate id "${x.id}"`,
      });
    seen.add(x.id);
  });
}

/** The items of the lists the API edits, validated as the config file's entries are. */
export { feed as feedSchema, watch as watchSchema, webhook as webhookSchema };

export type Config = z.output<typeof configSchema>;
export type FeedConfig = Config['feeds'][number];
export type WatchConfig = Config['watches'][number];
export type WebhookConfig = Config['webhooks'][number];
export type SignalConfig = WebhookConfig['signals'][number];
export type PickupSignalConfig = Extract<SignalConfig, { type: 'pickup' }>;
export type SpikeSignalConfig = Extract<SignalConfig, { type: 'spike' }>;
export type NetworkConfig = Config['network'];
export type FetchConfig = Config['fetch'];
export type FullTextConfig = Config['fullText'];
export type ApiConfig = Config['api'];
export type WebsubConfig = Config['websub'];
