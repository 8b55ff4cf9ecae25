#!/usr/bin/env node
/**
 * `npm run demo`: the whole path on one machine, with no internet and no endpoint of your own.
 * A loopback feed server serves the demo feeds, a loopback receiver verifies and prints each
 * alert, and the service runs between them. Ctrl-C stops everything.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../src/adapters/logger.js';
import type { AlertPayload } from '../src/contracts/webhook.js';
import { verify } from '../src/deliver/sign.js';
import { ROLES } from '../src/service/roles.js';
import { runService } from '../src/service/runtime.js';
import { roleStarters } from '../workers/index.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const feedDir = path.join(root, 'demo', 'feeds');
const articleDir = path.join(root, 'demo', 'articles');

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// Feeds, and the article pages their teasers link to ({{base}} in a feed is this server's address).
const feeds = http.createServer((req, res) => {
  const url = req.url ?? '';
  if (url.startsWith('/articles/')) return void servePage(path.join(articleDir, path.basename(url)), res);
  const file = path.join(feedDir, path.basename(url));
  if (!fs.existsSync(file)) return void res.writeHead(404).end();
  const body = fs.readFileSync(file, 'utf8').replaceAll('{{base}}', feedBase);
  const etag = `"${crypto.createHash('sha1').update(body).digest('hex')}"`;
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
  res
    .writeHead(200, {
      'content-type': file.endsWith('.atom') ? 'application/atom+xml' : 'application/rss+xml',
      etag,
    })
    .end(body);
});

function servePage(file: string, res: http.ServerResponse): void {
  if (!fs.existsSync(file)) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fs.readFileSync(file));
}

const secret = `whsec_${crypto.randomBytes(32).toString('base64')}`;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const ok = verify(secret, headers, body, Math.floor(Date.now() / 1000));
    const { data } = JSON.parse(body) as { data: AlertPayload['data'] };
    const watches = data.watches.map(
      (w) => `${w.id} (${w.matches[0]?.field}) — ${w.matches[0]?.snippet ?? ''}`,
    );
    process.stdout.write(
      `\n[receiver] ${ok ? 'signature OK' : 'SIGNATURE INVALID'}  ${headers['webhook-id']}\n  ${data.item.title}\n  ${data.item.url}\n  ${watches.join('\n  ')}\n`,
    );
    res.writeHead(ok ? 204 : 401).end();
  });
});

const feedBase = await listen(feeds);
const hookUrl = `${await listen(receiver)}/hook`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediawatch-demo-'));
const configPath = path.join(dir, 'mediawatch.yaml');
// A fresh key prefix per run, so every demo shows its alerts even against a Redis that has seen them.
fs.writeFileSync(
  configPath,
  `# written by npm run demo
redisPrefix: demo-${crypto.randomBytes(4).toString('hex')}
schedule: "*/3 * * * * *"
network:
  allowPrivateAddresses: true
feeds:
  - id: world
    url: ${feedBase}/world.rss
  - id: europe
    url: ${feedBase}/europe.atom
    fullText: never   # its items are all there is; the world feed's teaser has its page read
watches:
  - id: macron
    label: Emmanuel Macron
    terms: ["Emmanuel Macron", "Macron"]
  - id: putin
    label: Vladimir Putin
    terms: ["Vladimir Putin", "Putin"]
  - id: nato
    label: NATO
    terms: ["NATO", "North Atlantic Treaty Organization", "OTAN"]
  - id: security-guarantees
    label: Security guarantees
    query: '"security guarantee*" OR (guarantee* NEAR/4 (security OR Russia OR Ukraine))'
webhooks:
  - id: demo-receiver
    url: ${hookUrl}
    secret: ${secret}
logAlerts: false
`,
);
console.log(`demo: feeds on ${feedBase}, receiver on ${hookUrl}, config ${configPath}`);
const env = { ...process.env, MEDIAWATCH_CONFIG: configPath, PORT: process.env.PORT ?? '0' };
const service = await runService({
  roles: [...ROLES],
  start: roleStarters,
  env,
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
});
console.log('demo: service running; alerts appear below within seconds. Ctrl-C to stop.');
const stop = async () => {
  await service.stop();
  feeds.close();
  receiver.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
