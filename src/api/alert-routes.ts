/**
 * /api/v1/alerts: the recent alerts with their delivery state, newest first, a page at a time;
 * replaying one. /api/v1/webhooks/{id}/test: a signed sample alert sent to a webhook now.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { replayAlert, type ReplayDeps } from '../alerts/replay.js';
import { CURSOR, DELIVERY_STATES, type AlertRecord } from '../alerts/store.js';
import type { LoadedConfig } from '../config/load.js';
import { parseDuration } from '../config/duration.js';
import type { LiveConfigStore } from '../config/live-store.js';
import type { WebhookConfig } from '../config/schema.js';
import { sendPayload, type ChannelDeps } from '../deliver/channels/index.js';
import { samplePayload } from '../deliver/payload.js';
import { triesFor } from '../deliver/retry-policy.js';
import { errorBody, idParams, who } from './config-routes.js';
import { ApiError } from './errors.js';

export interface AlertRoutesDeps extends ReplayDeps {
  current(): LoadedConfig;
  store: LiveConfigStore;
  /** The webhooks' HTTP client (the network allow-list applies) and mailer. */
  channels: ChannelDeps;
}

/** A duration back from now (6h, 7d) or a point in time (ISO 8601). */
const since = z
  .string()
  .refine((s) => sinceMs(s, 0) !== undefined, 'is neither a duration (e.g. 6h, 7d) nor an ISO 8601 time')
  .optional();

function sinceMs(text: string, now: number): number | undefined {
  const back = parseDuration(text);
  if (back !== undefined) return now - back;
  const at = /^\d{4}-\d\d-\d\d/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(at) ? undefined : at;
}

const alertQuery = z.strictObject({
  watch: z.string().min(1).max(200).optional(),
  webhook: z.string().min(1).max(200).optional(),
  state: z.enum(DELIVERY_STATES).optional(),
  since,
  cursor: z.string().regex(CURSOR, 'is not a cursor from an earlier page (nextCursor)').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const iso = z.string();
const alertView = z.object({
  alertId: z.string(),
  webhookId: z.string(),
  storyId: z.string(),
  update: z.boolean(),
  watches: z.array(z.object({ id: z.string(), label: z.string() })),
  item: z.object({
    id: z.string(),
    title: z.string(),
    url: z.string().nullable(),
    publishedAt: z.string().nullable(),
    feed: z.object({ id: z.string(), url: z.string() }),
  }),
  raisedAt: iso,
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int(),
  lastError: z.string().optional(),
  statusCode: z.number().int().optional(),
  updatedAt: iso,
  deliveredAt: iso.optional(),
  replays: z.number().int(),
});

const testResult = z.object({
  alertId: z.string(),
  delivered: z.boolean(),
  statusCode: z.number().int().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  durationMs: z.number(),
});

/** An alert as the API shows it; the console reads this shape. */
export type AlertView = z.infer<typeof alertView>;
/** How a webhook answered its test-send. */
export type TestResult = z.infer<typeof testResult>;

const isoOf = (ms: number) => new Date(ms).toISOString();

function viewOf(a: AlertRecord): AlertView {
  const { data } = a.payload;
  const { delivery: d } = a;
  return {
    alertId: a.alertId,
    webhookId: a.webhookId,
    storyId: data.storyId,
    update: data.update === true,
    watches: data.watches.map((w) => ({ id: w.id, label: w.label })),
    item: {
      id: data.item.id,
      title: data.item.title,
      url: data.item.url,
      publishedAt: data.item.publishedAt,
      feed: data.item.feed,
    },
    raisedAt: isoOf(a.raisedAt),
    state: d.state,
    attempts: d.attempts,
    ...(d.lastError !== undefined && { lastError: d.lastError }),
    ...(d.statusCode !== undefined && { statusCode: d.statusCode }),
    updatedAt: isoOf(d.updatedAt),
    ...(d.deliveredAt !== undefined && { deliveredAt: isoOf(d.deliveredAt) }),
    replays: d.replays ?? 0,
  };
}

export function registerAlertRoutes(api: FastifyInstance, deps: AlertRoutesDeps): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['alerts'];

  app.get(
    '/alerts',
    {
      schema: {
        tags,
        summary:
          'Recent alerts with their delivery state, newest first; filtered by watch, webhook, state and time',
        querystring: alertQuery,
        response: {
          200: z.object({ items: z.array(alertView), nextCursor: z.string().optional() }),
          400: errorBody,
        },
      },
    },
    async (req) => {
      const { since: from, ...query } = req.query;
      const now = deps.clock();
      const page = await deps.alerts.list(
        { ...query, ...(from !== undefined && { sinceMs: sinceMs(from, now) }) },
        now,
      );
      return { items: page.items.map(viewOf), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
    },
  );

  app.post(
    '/alerts/:id/replay',
    {
      schema: {
        tags,
        summary: 'Sends a recorded alert to its webhook again: the same payload, signed afresh',
        params: idParams,
        response: {
          202: z.object({
            alertId: z.string(),
            webhookId: z.string(),
            replay: z.enum(['retried', 'promoted', 'on its way', 'queued']),
          }),
          404: errorBody,
          409: errorBody,
        },
      },
    },
    async (req, reply) => {
      const alert = await deps.alerts.get(req.params.id);
      if (!alert)
        throw new ApiError(
          404,
          'not-found',
          `no alert "${req.params.id}" on record (alerts are kept for alerts.retention)`,
        );
      const hook = webhookOf(deps, alert.webhookId);
      const replay = await replayAlert(alert, triesFor(hook.retry), deps);
      await deps.store.note({
        at: isoOf(deps.clock()),
        who: who(req.principal),
        action: 'replay',
        list: 'alerts',
        id: alert.alertId,
        after: { webhook: hook.id, replay },
      });
      return reply.code(202).send({ alertId: alert.alertId, webhookId: hook.id, replay });
    },
  );

  app.post(
    '/webhooks/:id/test',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          "Sends a sample alert, signed with the webhook's secret, to the webhook now (once, not retried) and tells how it answered",
        params: idParams,
        response: { 200: testResult, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => {
      const hook = webhookOf(deps, req.params.id);
      const alertId = `msg_test_${crypto.randomBytes(12).toString('base64url')}`;
      const payload = samplePayload(alertId, deps.clock());
      const outcome = await sendPayload(deps.channels, hook, alertId, payload, deps.clock);
      const base = { alertId, durationMs: outcome.durationMs };
      if (outcome.kind !== 'failed') {
        return { ...base, delivered: outcome.kind === 'delivered', statusCode: outcome.status };
      }
      const status = outcome.error.details.status;
      return {
        ...base,
        delivered: false,
        ...(typeof status === 'number' && { statusCode: status }),
        error: { code: outcome.error.code, message: outcome.error.message },
      };
    },
  );
}

/** A configured webhook with a URL, or the API error that says why there is none. */
function webhookOf(deps: AlertRoutesDeps, id: string): WebhookConfig {
  const hook = deps.current().config.webhooks.find((h) => h.id === id);
  if (!hook) throw new ApiError(404, 'not-found', `no webhook "${id}" is configured`);
  if (hook.url === '')
    throw new ApiError(409, 'conflict', `the webhook "${id}" has no URL: it is disabled`, 'url');
  return hook;
}
