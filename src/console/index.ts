/**
 * The web console: a static bundle (one HTML page, a style sheet and browser modules) served under
 * /console. The pages call the HTTP API with the token the user types in: it stays in the tab's
 * sessionStorage and travels as a Bearer header, so the console sets no cookie, needs no CSRF
 * defence, and this server part never sees or holds a token.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface ConsoleOptions {
  /** Where the built bundle lies; by default beside this module (dist/src/console/assets). */
  assetsDir?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** Only the bundle's own files run or load: no inline script, no other origin, no framing. */
const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

interface Asset {
  type: string;
  body: Buffer;
}

/** Reads the bundle once (a dozen small files) and serves it from memory: no path reaches the disk. */
async function loadAssets(dir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const name of await fs.readdir(dir)) {
    const type = TYPES[path.extname(name)];
    if (type) assets.set(name, { type, body: await fs.readFile(path.join(dir, name)) });
  }
  if (!assets.has('index.html'))
    throw new Error(`the console bundle in ${dir} has no index.html; run npm run build`);
  return assets;
}

function send(reply: FastifyReply, asset: Asset | undefined): FastifyReply {
  if (!asset) return reply.code(404).type('text/plain; charset=utf-8').headers(HEADERS).send('not found\n');
  return reply.type(asset.type).headers(HEADERS).send(asset.body);
}

/** Serves the console: /console redirects to /console/, which is the page; its files sit beside it. */
export async function registerConsole(app: FastifyInstance, opts: ConsoleOptions = {}): Promise<void> {
  const dir = opts.assetsDir ?? fileURLToPath(new URL('./assets/', import.meta.url));
  const assets = await loadAssets(dir);
  // Pages and files, not API routes: kept out of the OpenAPI document.
  const hide = { schema: { hide: true } };
  app.get('/console', hide, (_req, reply) => reply.redirect('/console/'));
  app.get('/console/', hide, (_req, reply) => send(reply, assets.get('index.html')));
  app.get<{ Params: { file: string } }>('/console/:file', hide, (req, reply) =>
    send(reply, assets.get(req.params.file)),
  );
}
