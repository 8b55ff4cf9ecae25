/**
 * The service's HTTP port (fastify): /healthz (the process runs), /readyz (Redis answers and the
 * workers run), /metrics (Prometheus text), the optional dashboard, and, when tokens are set, the
 * API under /api/v1 and the web console under /console.
 */
import type http from 'node:http';
import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifySchemaCompiler,
  type FastifySchemaValidationError,
} from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { VERSION } from '../lib/version.js';

export interface HttpServerOptions {
  port: number;
  host?: string;
  ready: () => boolean | Promise<boolean>;
  registry: Registry;
  /** Refreshes gauges that are read on demand (queue depths) before a scrape. */
  beforeScrape?: () => Promise<void>;
  /** Extra handlers by path prefix (the optional dashboard), given the raw request. */
  mounts?: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>;
  /** Request bodies larger than this get 413. */
  bodyLimit?: number;
  /** Adds the API (and the console) to the server before it listens. */
  extend?: (app: FastifyInstance) => Promise<void>;
}

export async function startHttpServer(opts: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? 256 * 1024,
    keepAliveTimeout: 5_000,
    forceCloseConnections: true,
  });
  app.setValidatorCompiler<z.ZodType>((route) =>
    route.httpPart === 'body' ? asSent(validatorCompiler(route)) : validatorCompiler(route),
  );
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'mediawatch API', version: VERSION },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  registerOperations(app, opts);
  for (const [prefix, handler] of Object.entries(opts.mounts ?? {})) mountRaw(app, prefix, handler);
  await opts.extend?.(app);
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).type('text/plain; charset=utf-8').send('not found\n'),
  );
  await app.listen({ port: opts.port, host: opts.host ?? '0.0.0.0' });
  return app;
}

/**
 * Validates a body against its schema but hands the handler the body as sent: the live
 * configuration keeps entries as written (durations as "15m"), not as the schema's output.
 */
function asSent(
  validate: ReturnType<FastifySchemaCompiler<z.ZodType>>,
): ReturnType<FastifySchemaCompiler<z.ZodType>> {
  return (data: unknown) => {
    const result = validate(data) as { error?: FastifySchemaValidationError[] };
    return result.error ? result : { value: data };
  };
}

function registerOperations(app: FastifyInstance, opts: HttpServerOptions): void {
  const text = 'text/plain; charset=utf-8';
  const hide = { schema: { hide: true } };
  app.addHook('onSend', async (_req, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  app.get('/healthz', hide, async (_req, reply) => reply.type(text).send('ok\n'));
  app.get('/readyz', hide, async (_req, reply) =>
    (await opts.ready()) ? reply.type(text).send('ready\n') : reply.code(503).type(text).send('not ready\n'),
  );
  app.get('/metrics', hide, async (_req, reply) => {
    await opts.beforeScrape?.().catch(() => undefined);
    return reply.type(opts.registry.contentType).send(await opts.registry.metrics());
  });
}

/** A handler that reads the raw request itself (the dashboard's own router), below `prefix`. */
function mountRaw(
  app: FastifyInstance,
  prefix: string,
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): void {
  void app.register((scope, _opts, done) => {
    // The body stays unread: the mounted handler reads it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const route = {
      method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const,
      schema: { hide: true },
    };
    for (const url of [prefix, `${prefix}/*`]) {
      scope.route({
        ...route,
        method: [...route.method],
        url,
        handler: (req, reply) => {
          reply.hijack();
          handler(req.raw, reply.raw);
        },
      });
    }
    done();
  });
}
