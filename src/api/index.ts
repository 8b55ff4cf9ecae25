/**
 * The HTTP API under /api/v1: bearer-token auth, JSON errors, the live configuration's lists and
 * audit log, previews of a watch against recent items, feed health and checks, stories, recent
 * alerts with replay, a webhook's test-send, and the
 * OpenAPI document generated from the same zod schemas the routes validate with.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../adapters/logger.js';
import { parseDuration } from '../config/duration.js';
import type { LoadedConfig } from '../config/load.js';
import { watchSchema } from '../config/schema.js';
import type { StoryStore } from '../dedupe/story-store.js';
import { checkFeed } from '../fetch/check-feed.js';
import { listFeedHealth } from '../fetch/health.js';
import { compileWatches, formatQueryError, QueryError, type BacktestStore } from '../match/index.js';
import type { HttpClient } from '../net/http-client.js';
import { registerAlertRoutes, type AlertRoutesDeps } from './alert-routes.js';
import { authorize } from './auth.js';
import { registerConfigRoutes } from './config-routes.js';
import { ApiError, handleApiErrors } from './errors.js';
import type { LiveEntriesDeps } from './live-entries.js';
import { preview } from './preview.js';

export const API_PREFIX = '/api/v1';

export interface ApiDeps extends LiveEntriesDeps, AlertRoutesDeps {
  current(): LoadedConfig;
  redis: Redis;
  stories: StoryStore;
  backtest: BacktestStore;
  feedHttp: HttpClient;
  logger: Logger;
}

const since = z
  .string()
  .default('7d')
  .refine((s) => parseDuration(s) !== undefined, 'is not a duration (e.g. 6h, 7d)');

export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(
    (api, _opts, registered) => {
      handleApiErrors(api, deps.logger);
      api.addHook('onRequest', (req, _reply, done) => {
        try {
          if (!req.url.startsWith(`${API_PREFIX}/openapi.json`))
            req.principal = authorize(req, deps.current().config.api.tokens);
          done();
        } catch (err) {
          done(err as Error);
        }
      });
      registerConfigRoutes(api, deps);
      registerReadRoutes(api, deps);
      registerAlertRoutes(api, deps);
      api.get('/openapi.json', { schema: { hide: true } }, (_req, reply) => reply.send(app.swagger()));
      registered();
    },
    { prefix: API_PREFIX },
  );
}

function registerReadRoutes(api: FastifyInstance, deps: ApiDeps): void {
  const app = api.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/whoami',
    {
      schema: {
        summary: 'The name and scope of the token this request carries',
        response: { 200: z.object({ name: z.string(), scope: z.enum(['read', 'write']) }) },
      },
    },
    (req, reply) => {
      void reply.send(req.principal!);
    },
  );

  app.get('/feeds/health', { schema: { tags: ['feeds'], summary: 'The health of every feed' } }, async () => {
    const { config } = deps.current();
    const push = { silentAfterMs: config.websub.silentAfter, now: deps.clock() };
    return { items: await listFeedHealth(deps.redis, config.redisPrefix, config.feeds, push) };
  });

  app.get(
    '/feeds/check',
    {
      schema: {
        tags: ['feeds'],
        summary: 'Fetches a feed once and reports what mediawatch sees in it',
        querystring: z.object({ url: z.string().url() }),
      },
    },
    async (req) => {
      const result = await checkFeed(req.query.url, {
        http: deps.feedHttp,
        config: deps.current().config.fetch,
        clock: deps.clock,
      });
      if (!result.ok)
        throw new ApiError(
          422,
          'invalid',
          `${req.query.url}: ${result.error.code}: ${result.error.message}`,
          'url',
        );
      return result.value;
    },
  );

  app.get(
    '/stories/:id',
    {
      schema: {
        summary: 'One story: its title, first sighting and outlets',
        params: z.object({ id: z.string().min(1).max(200) }),
      },
    },
    async (req) => {
      const story = await deps.stories.show(req.params.id);
      if (!story)
        throw new ApiError(
          404,
          'not-found',
          `no story "${req.params.id}" (stories are kept for dedupe.storyWindow)`,
        );
      return story;
    },
  );

  app.post(
    '/watches/preview',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['watches'],
        summary:
          'What a new or changed watch matches in the recent items, and what it gains and loses against the current version',
        body: z.object({ watch: watchSchema, since }),
      },
    },
    async (req) => {
      const body = req.body as { watch: z.input<typeof watchSchema>; since: string };
      const candidate = watchSchema.parse(body.watch);
      const current = deps.current().config.watches.find((w) => w.id === candidate.id);
      const now = deps.clock();
      try {
        return await preview(deps.backtest, {
          candidate: compileWatches([candidate]),
          current: current && compileWatches([current]),
          sinceMs: now - parseDuration(body.since)!,
          now,
        });
      } catch (err) {
        if (err instanceof QueryError)
          throw new ApiError(400, 'invalid', `watch.query: ${formatQueryError(err)}`, 'watch.query');
        throw err;
      }
    },
  );
}
