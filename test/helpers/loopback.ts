/** Loopback HTTP servers for tests and benchmarks: a feed server, a webhook receiver, any handler. */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../../src/deliver/sign.js';

export { waitFor } from './wait.js';

export interface Route {
  body?: string | Buffer;
  status?: number;
  type?: string;
  headers?: Record<string, string>;
  /** Never answer (a black hole). */
  hang?: boolean;
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

function closer(server: http.Server): () => Promise<void> {
  return () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
}

/** A loopback HTTP server that keeps connections alive, answering with `handler`. */
export async function startServer(
  handler: http.RequestListener,
): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const server = http.createServer({ keepAlive: true }, handler);
  const port = await listen(server);
  return { port, url: `http://127.0.0.1:${port}`, close: closer(server) };
}

/** Serves feeds from memory, with ETag and 304 on If-None-Match, and records every request. */
export async function startFeedServer() {
  const routes = new Map<string, Route>();
  const hits: { path: string; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push({ path, headers: req.headers });
    const route = routes.get(path);
    if (!route) return void res.writeHead(404).end('not found');
    if (route.hang) return;
    if (route.status && route.status !== 200)
      return void res.writeHead(route.status, route.headers).end(route.body ?? '');
    const body = route.body ?? '';
    const etag = `"${crypto.createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res
      .writeHead(200, {
        'content-type': route.type ?? 'application/rss+xml; charset=utf-8',
        etag,
        ...route.headers,
      })
      .end(body);
  });
  const port = await listen(server);
  return {
    port,
    hits,
    routes,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    set: (path: string, route: Route) => routes.set(path, route),
    close: closer(server),
  };
}

export interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
  verified: boolean;
  status: number;
}

/** A webhook receiver that verifies signatures; `answer` picks the status for the n-th request. */
export async function startReceiver(secret: string, answer: (n: number) => number = () => 200) {
  const requests: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = answer(requests.length + 1);
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // kept as null: the test sees an unparsable body
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      requests.push({ headers: req.headers, body, json, verified: verify(secret, headers, body), status });
      res.writeHead(status).end();
    });
  });
  const port = await listen(server);
  return {
    port,
    requests,
    url: `http://127.0.0.1:${port}/hook`,
    /** Requests answered 2xx: what the receiver accepted. */
    delivered: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    close: closer(server),
  };
}

export function newSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}
