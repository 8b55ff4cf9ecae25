/**
 * The operations endpoint: /healthz (the process runs), /readyz (Redis answers and the workers
 * run), /metrics (Prometheus text). Nothing else is served.
 */
import http from 'node:http';
import type { Registry } from 'prom-client';

export interface HttpServerOptions {
  port: number;
  host?: string;
  ready: () => boolean | Promise<boolean>;
  registry: Registry;
  /** Refreshes gauges that are read on demand (queue depths) before a scrape. */
  beforeScrape?: () => Promise<void>;
  /** Extra handlers by path prefix (the optional dashboard). */
  mounts?: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>;
}

export async function startHttpServer(opts: HttpServerOptions): Promise<http.Server> {
  const server = http.createServer((req, res) => void respond(opts, req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  return server;
}

/** Answers one request; a failure becomes a 500 naming it. */
async function respond(opts: HttpServerOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  try {
    const mount = Object.entries(opts.mounts ?? {}).find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
    if (mount) return mount[1](req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    if (path === '/healthz') return send(res, 200, 'ok\n');
    if (path === '/readyz') return (await opts.ready()) ? send(res, 200, 'ready\n') : send(res, 503, 'not ready\n');
    if (path === '/metrics') {
      await opts.beforeScrape?.().catch(() => undefined);
      return send(res, 200, await opts.registry.metrics(), opts.registry.contentType);
    }
    return send(res, 404, 'not found\n');
  } catch (err) {
    return send(res, 500, `error: ${(err as Error).message}\n`);
  }
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
