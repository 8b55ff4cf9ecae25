/**
 * Building blocks for end-to-end fault and cluster tests: generated feeds whose items are
 * distinct stories that mention Macron, a config writer with short schedules, and a webhook
 * receiver that a test can slow down, fail or hold open on purpose.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../../src/deliver/sign.js';
import { writeConfig } from './service.js';

const WORDS = (
  'harbour council budget railway vineyard glacier orchestra bakery satellite library referendum drought ' +
  'festival shipyard museum pipeline election vaccine tariff reactor archive monsoon stadium bridge ' +
  'hospital airline refinery canal treaty summit court strike cathedral observatory mine forest'
).split(' ');

/** A deterministic word salad: different seeds give texts no near-duplicate detector joins. */
function salad(seed: number, n: number): string {
  let a = (seed * 2_654_435_761) >>> 0;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a ^ (a >>> 15), 2_246_822_507) + i * 3_266_489_909) >>> 0;
    out.push(`${WORDS[a % WORDS.length]}${(a >>> 8) % 97}`);
  }
  return out.join(' ');
}

export interface FeedItem {
  url: string;
  title: string;
}

/** An RSS document with `count` distinct items, each a story of its own that mentions Macron. */
export function macronFeed(name: string, count: number, first = 0): { xml: string; items: FeedItem[] } {
  const items: FeedItem[] = [];
  const entries: string[] = [];
  const base = ([...name].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7) % 100_000) * 1_000;
  for (let i = first; i < first + count; i++) {
    const url = `https://news.example.com/${name}/${i}.html`;
    const title = `Macron visits the ${salad(base + i * 7, 3)}`;
    items.push({ url, title });
    entries.push(
      `<item><title>${title}</title><link>${url}</link><guid>${url}</guid>` +
        `<pubDate>${new Date(Date.UTC(2024, 0, 1, 0, i)).toUTCString()}</pubDate>` +
        `<description>${salad(base + i * 131 + 1, 40)} said President Emmanuel Macron.</description></item>`,
    );
  }
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${name}</title>` +
    `<link>https://news.example.com/${name}</link><description>generated</description>${entries.join('')}</channel></rss>`;
  return { xml, items };
}

export interface HookSpec {
  url: string;
  secret: string;
  retry?: string[];
  breakerThreshold?: number;
  timeout?: string;
}

/** A config file polling every second, one `macron` watch, one webhook "newsroom"; returns its path. */
export function newsroomConfig(feeds: { id: string; url: string }[], hook: HookSpec, extra = ''): string {
  return writeConfig(newsroomYaml(feeds, hook, extra));
}

/** The YAML text of that config, for tests that break it on purpose. */
export function newsroomYaml(feeds: { id: string; url: string }[], hook: HookSpec, extra = ''): string {
  return `
schedule: "* * * * * *"
network:
  allowPrivateAddresses: true
feeds:
${feeds.map((f) => `  - id: ${f.id}\n    url: ${f.url}`).join('\n')}
watches:
  - id: macron
    label: Emmanuel Macron
    terms: ["Emmanuel Macron", "Macron"]
webhooks:
  - id: newsroom
    url: ${hook.url}
    secret: ${hook.secret}
    retry: [${(hook.retry ?? ['200ms', '200ms', '200ms']).join(', ')}]
    breakerThreshold: ${hook.breakerThreshold ?? 5}
    timeout: ${hook.timeout ?? '15s'}
${extra}
`;
}

export interface Received {
  id: string;
  url: string;
  status: number;
  verified: boolean;
}

/**
 * A webhook receiver whose answer a test decides per request, possibly after a delay: `arrived`
 * counts requests as they come in (still open or not), `answered` those that got a reply.
 */
export async function startSlowReceiver(secret: string, answer: (n: number) => Promise<number> | number) {
  const arrived: Received[] = [];
  const answered: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on(
      'end',
      () =>
        void (async () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
          let url = '';
          try {
            url = JSON.parse(body).data.item.url;
          } catch {
            // left empty: the test sees a body it cannot read
          }
          const r: Received = {
            id: headers['webhook-id'],
            url,
            status: 0,
            verified: verify(secret, headers, body),
          };
          arrived.push(r);
          r.status = await answer(arrived.length);
          if (res.destroyed) return;
          res.writeHead(r.status).end();
          answered.push(r);
        })(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    arrived,
    answered,
    url: `http://127.0.0.1:${port}/hook`,
    /** Accepted deliveries: answered 2xx. */
    delivered: () => answered.filter((r) => r.status >= 200 && r.status < 300),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
