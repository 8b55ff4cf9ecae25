/**
 * /api/v1/watches, /webhooks and /feeds: list, create, read, replace and delete entries of the
 * live configuration, each body the entry exactly as in the YAML file and validated by the config
 * schema; and /api/v1/config/history, the audit log.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { feedSchema, watchSchema, webhookSchema } from '../config/schema.js';
import type { LiveList } from '../config/live-store.js';
import type { Principal } from './auth.js';
import { ApiError } from './errors.js';
import { changeEntry, etagOf, maskSecrets, readDoc, type LiveEntriesDeps } from './live-entries.js';

/** What the API accepts for each list; a webhook's secret may be left out to keep the stored one. */
const BODIES = {
  watches: watchSchema,
  webhooks: webhookSchema.partial({ secret: true }),
  feeds: feedSchema,
} as const;

export const idParams = z.object({ id: z.string().min(1).max(200) });
const anyEntry = z.record(z.string(), z.unknown());
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), path: z.string().optional() }),
});
const historyEntry = z.object({
  seq: z.string(),
  at: z.string(),
  who: z.string(),
  action: z.enum(['create', 'update', 'delete', 'replay']),
  list: z.enum(['watches', 'webhooks', 'feeds', 'alerts']),
  id: z.string(),
  before: anyEntry.optional(),
  after: anyEntry.optional(),
});

export const who = (principal: Principal | undefined) => principal?.name ?? 'unknown';

export function registerConfigRoutes(api: FastifyInstance, deps: LiveEntriesDeps): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  for (const list of ['watches', 'webhooks', 'feeds'] as const) registerList(app, deps, list);

  app.get(
    '/config/history',
    {
      schema: {
        summary: 'The audit log of changes made through the API, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: z.object({ items: z.array(historyEntry) }) },
      },
    },
    async (req) => ({ items: await deps.store.history(req.query.limit) }),
  );
}

function registerList(app: FastifyInstance, deps: LiveEntriesDeps, list: LiveList): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const body = BODIES[list];
  const tags = [list];
  const ifMatch = z.object({ 'if-match': z.string().optional() });
  const shown = (entry: Record<string, unknown>) => maskSecrets(list, entry);

  typed.get(
    `/${list}`,
    { schema: { tags, summary: `All ${list}`, response: { 200: z.object({ items: z.array(anyEntry) }) } } },
    async (_req, reply) => {
      const snap = await readDoc(deps.store);
      reply.header('etag', `"${snap.version}"`);
      return { items: snap.doc[list].map(shown) };
    },
  );

  typed.post(
    `/${list}`,
    {
      schema: {
        tags,
        summary: `Create one of the ${list}`,
        body,
        response: { 201: anyEntry, 400: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const entry = req.body as Record<string, unknown>;
      const id = String(entry.id);
      const stored = await changeEntry(deps, {
        list,
        id,
        change: { action: 'create', entry },
        who: who(req.principal),
      });
      reply
        .code(201)
        .header('location', `${req.url.split('?')[0]}/${encodeURIComponent(id)}`)
        .header('etag', etagOf(stored));
      return shown(stored!);
    },
  );

  typed.get(
    `/${list}/:id`,
    {
      schema: {
        tags,
        summary: `One of the ${list}`,
        params: idParams,
        response: { 200: anyEntry, 404: errorBody },
      },
    },
    async (req, reply) => {
      const snap = await readDoc(deps.store);
      const entry = snap.doc[list].find((e) => e.id === req.params.id);
      if (!entry) throw new ApiError(404, 'not-found', `no entry "${req.params.id}" in ${list}`);
      reply.header('etag', etagOf(entry));
      return shown(entry);
    },
  );

  typed.put(
    `/${list}/:id`,
    {
      schema: {
        tags,
        summary: `Replace one of the ${list}`,
        params: idParams,
        headers: ifMatch,
        body,
        response: { 200: anyEntry, 400: errorBody, 404: errorBody, 412: errorBody },
      },
    },
    async (req, reply) => {
      const change = { action: 'update' as const, entry: req.body as Record<string, unknown> };
      const stored = await changeEntry(deps, {
        list,
        id: req.params.id,
        change,
        ifMatch: req.headers['if-match'],
        who: who(req.principal),
      });
      reply.header('etag', etagOf(stored));
      return shown(stored!);
    },
  );

  typed.delete(
    `/${list}/:id`,
    {
      schema: {
        tags,
        summary: `Delete one of the ${list}`,
        params: idParams,
        headers: ifMatch,
        response: { 204: z.null(), 404: errorBody, 409: errorBody, 412: errorBody },
      },
    },
    async (req, reply) => {
      await changeEntry(deps, {
        list,
        id: req.params.id,
        change: { action: 'delete' },
        ifMatch: req.headers['if-match'],
        who: who(req.principal),
      });
      return reply.code(204).send(null);
    },
  );
}
