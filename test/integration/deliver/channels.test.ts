/**
 * Telegram, ntfy, Teams and Matrix through the delivery machinery, against loopback stand-ins of
 * their APIs that check the request shape each service documents and answer as it does.
 */
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliverJob } from '../../../src/contracts/jobs.js';
import { buildPayload } from '../../../src/deliver/payload.js';
import { handleDelivery, retryDelay } from '../../../src/pipeline/handle-delivery.js';
import { startServer } from '../../helpers/loopback.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  json: any;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A stand-in API: records each request, answers the n-th with `answer(n, request)`. */
async function standIn(answer: (n: number, req: Seen) => Answer) {
  const seen: Seen[] = [];
  const api = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method!,
        path: req.url!,
        headers: req.headers,
        json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'),
      };
      seen.push(request);
      const { status, body, headers } = answer(seen.length, request);
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  return { ...api, seen };
}

const payload = (id: string) =>
  buildPayload({
    alertId: id,
    storyId: 'st',
    feed: { id: 'world', url: 'https://news.example.com/world.rss' },
    item: {
      key: id,
      url: 'https://news.example.com/a?x=1&y=2',
      title: 'Macron <b>meets</b> NATO',
      summary: '',
      content: '',
    },
    watches: [
      {
        id: 'macron',
        label: 'Emmanuel Macron',
        matches: [{ term: 'Macron', field: 'title', start: 0, end: 6, snippet: '«Macron» meets NATO' }],
      },
    ],
    update: false,
    now: Date.parse('2026-11-28T09:00:00Z'),
  });
const alert = (id: string): DeliverJob => ({
  kind: 'alert',
  webhookId: 'chan',
  fetchedAt: 0,
  payload: payload(id),
});

const TOKEN = '123456:AAE-bot-token-secret';

async function deliverVia(
  prefix: string,
  hook: string,
  api: { close(): Promise<void> },
  test: (deps: ReturnType<typeof pipelineDeps>) => Promise<void>,
) {
  const deps = pipelineDeps(
    server.client(),
    `
redisPrefix: ${prefix}
watches: [{ id: macron, terms: [Macron] }]
webhooks:
  - id: chan
    retry: [1m, 10m]
${hook
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`,
  );
  try {
    await test(deps);
  } finally {
    await deps.close();
    await api.close();
  }
}

describe('Telegram (Bot API sendMessage)', () => {
  it('posts HTML text with the linked title to /bot<token>/sendMessage', async () => {
    const api = await standIn(() => ({ status: 200, body: { ok: true, result: { message_id: 1 } } }));
    await deliverVia(
      'tg-ok',
      `format: telegram\nurl: ${api.url}\ntelegram: { token: "${TOKEN}", chatId: "-100200", threadId: 7 }`,
      api,
      async (deps) => {
        expect(await handleDelivery('msg_1', alert('msg_1'), deps)).toEqual({ kind: 'delivered' });
        const [req] = api.seen;
        expect([req.method, req.path, req.headers['content-type']]).toEqual([
          'POST',
          `/bot${TOKEN}/sendMessage`,
          'application/json',
        ]);
        expect(req.json).toMatchObject({
          chat_id: '-100200',
          message_thread_id: 7,
          parse_mode: 'HTML',
          link_preview_options: { url: 'https://news.example.com/a?x=1&y=2' },
        });
        expect(req.json.text).toContain('<b>New mention: Emmanuel Macron</b>');
        expect(req.json.text).toContain(
          '<a href="https://news.example.com/a?x=1&amp;y=2">Macron &lt;b&gt;meets&lt;/b&gt; NATO</a>',
        );
        expect(req.headers['webhook-signature']).toBeUndefined();
      },
    );
  });

  it('waits the retry_after of a 429 and keeps the token out of the error', async () => {
    const api = await standIn(() => ({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 42',
        parameters: { retry_after: 42 },
      },
    }));
    await deliverVia(
      'tg-429',
      `format: telegram\nurl: ${api.url}\ntelegram: { token: "${TOKEN}", chatId: 5 }`,
      api,
      async (deps) => {
        const result = await handleDelivery('msg_2', alert('msg_2'), deps);
        expect(result).toMatchObject({
          kind: 'retry',
          error: { details: { retryAfterMs: 42_000, status: 429 } },
        });
        if (result.kind !== 'retry') return;
        expect(JSON.stringify(result.error.toJSON())).not.toContain(TOKEN);
        expect(result.error.details.url).toBe(`${api.url}/bot[redacted]/sendMessage`);
        // The webhook's schedule asks 1m (±20 %); Telegram's 42 s is shorter, so the schedule wins; a longer one would win.
        expect(retryDelay(alert('msg_2'), 1, result.error, deps.current().config.webhooks, 0.5)).toBe(60_000);
      },
    );
  });

  it('gives up on a chat it may not write to, saying why', async () => {
    const api = await standIn(() => ({
      status: 403,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    }));
    await deliverVia(
      'tg-403',
      `format: telegram\nurl: ${api.url}\ntelegram: { token: "${TOKEN}", chatId: 5 }`,
      api,
      async (deps) => {
        expect(await handleDelivery('msg_3', alert('msg_3'), deps)).toMatchObject({
          kind: 'give-up',
          error: { message: 'webhook chan answered HTTP 403: Forbidden: bot was blocked by the user' },
        });
      },
    );
  });

  it('keeps the token out of network errors too', async () => {
    const api = await standIn(() => ({ status: 200 }));
    await api.close();
    await deliverVia(
      'tg-down',
      `format: telegram\nurl: ${api.url}\ntelegram: { token: "${TOKEN}", chatId: 5 }`,
      api,
      async (deps) => {
        const result = await handleDelivery('msg_4', alert('msg_4'), deps);
        expect(result).toMatchObject({ kind: 'retry', error: { code: 'connect' } });
        expect(
          JSON.stringify(result.kind === 'retry' && [result.error.message, result.error.toJSON()]),
        ).not.toContain(TOKEN);
      },
    );
  });
});

describe('ntfy (JSON publishing)', () => {
  it('posts topic, title, message, click, tags and priority to the server root with the Bearer token', async () => {
    const api = await standIn(() => ({ status: 200, body: { id: 'x' } }));
    await deliverVia(
      'ntfy-ok',
      `format: ntfy\nurl: ${api.url}/\nntfy: { topic: newsdesk, token: tk_secret123, priority: 4, tags: [newspaper] }`,
      api,
      async (deps) => {
        expect(await handleDelivery('msg_5', alert('msg_5'), deps)).toEqual({ kind: 'delivered' });
        const [req] = api.seen;
        expect([req.method, req.path, req.headers.authorization]).toEqual([
          'POST',
          '/',
          'Bearer tk_secret123',
        ]);
        expect(req.json).toEqual({
          topic: 'newsdesk',
          title: 'New mention: Emmanuel Macron',
          priority: 4,
          tags: ['newspaper'],
          click: 'https://news.example.com/a?x=1&y=2',
          message:
            'Macron <b>meets</b> NATO\nhttps://news.example.com/a?x=1&y=2\nEmmanuel Macron — «Macron» meets NATO',
        });
      },
    );
  });

  it('retries a 429 on the webhook schedule', async () => {
    const api = await standIn(() => ({
      status: 429,
      body: { code: 42901, http: 429, error: 'limit reached: too many requests' },
    }));
    await deliverVia(
      'ntfy-429',
      `format: ntfy\nurl: ${api.url}\nntfy: { topic: newsdesk }`,
      api,
      async (deps) => {
        expect(await handleDelivery('msg_6', alert('msg_6'), deps)).toMatchObject({
          kind: 'retry',
          error: { message: 'webhook chan answered HTTP 429: limit reached: too many requests' },
        });
        expect(api.seen[0].headers.authorization).toBeUndefined();
      },
    );
  });
});

describe('Teams (Workflows webhook)', () => {
  it('posts a message with one Adaptive Card linking the article, and redacts the URL signature', async () => {
    const api = await standIn((n) =>
      n === 1 ? { status: 202 } : { status: 400, body: { error: { message: 'bad' } } },
    );
    const url = `${api.url}/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=SIGsecret42`;
    await deliverVia('teams', `format: teams\nurl: "${url}"`, api, async (deps) => {
      expect(await handleDelivery('msg_7', alert('msg_7'), deps)).toEqual({ kind: 'delivered' });
      const { json } = api.seen[0];
      expect(json.type).toBe('message');
      expect(json.attachments).toHaveLength(1);
      const [{ contentType, content }] = json.attachments;
      expect(contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(content).toMatchObject({
        type: 'AdaptiveCard',
        version: '1.4',
        actions: [{ type: 'Action.OpenUrl', url: 'https://news.example.com/a?x=1&y=2' }],
      });
      expect(content.body[0]).toMatchObject({
        type: 'TextBlock',
        text: 'New mention: Emmanuel Macron',
        weight: 'Bolder',
      });
      expect(content.body[1].text).toBe('[Macron <b>meets</b> NATO](https://news.example.com/a?x=1&y=2)');

      const refused = await handleDelivery('msg_8', alert('msg_8'), deps);
      expect(refused.kind).toBe('give-up');
      expect(JSON.stringify(refused.kind === 'give-up' && refused.error.toJSON())).not.toContain(
        'SIGsecret42',
      );
    });
  });
});

describe('Matrix (client-server API)', () => {
  it('PUTs an m.room.message with the alert id as transaction id, so a retried send is the same event', async () => {
    const api = await standIn((n) =>
      n === 1
        ? {
            status: 429,
            body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 900_000 },
          }
        : { status: 200, body: { event_id: '$e1' } },
    );
    await deliverVia(
      'matrix',
      `format: matrix\nurl: ${api.url}\nmatrix: { roomId: "!room42:example.org", accessToken: syt_secret_token }`,
      api,
      async (deps) => {
        const first = await handleDelivery('msg_9', alert('msg_9'), deps);
        expect(first).toMatchObject({
          kind: 'retry',
          error: { message: expect.stringContaining('M_LIMIT_EXCEEDED'), details: { retryAfterMs: 900_000 } },
        });
        expect(
          retryDelay(
            alert('msg_9'),
            1,
            first.kind === 'retry' ? first.error : undefined,
            deps.current().config.webhooks,
            0.5,
          ),
        ).toBe(900_000);
        expect(await handleDelivery('msg_9', alert('msg_9'), deps)).toEqual({ kind: 'delivered' });

        const paths = api.seen.map((r) => `${r.method} ${r.path}`);
        expect(paths).toEqual(
          Array(2).fill('PUT /_matrix/client/v3/rooms/!room42%3Aexample.org/send/m.room.message/msg_9'),
        );
        const [req] = api.seen;
        expect(req.headers.authorization).toBe('Bearer syt_secret_token');
        expect(req.json).toMatchObject({ msgtype: 'm.text', format: 'org.matrix.custom.html' });
        expect(req.json.body).toContain('Macron <b>meets</b> NATO');
        expect(req.json.formatted_body).toContain(
          '<a href="https://news.example.com/a?x=1&amp;y=2">Macron &lt;b&gt;meets&lt;/b&gt; NATO</a>',
        );
      },
    );
  });
});
