/**
 * E-mail through the delivery machinery, against a real SMTP server started here (STARTTLS, TLS,
 * AUTH), the message parsed as received.
 */
import fs from 'node:fs';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliverJob } from '../../../src/contracts/jobs.js';
import { createMailer } from '../../../src/deliver/channels/email.js';
import { sendPayload } from '../../../src/deliver/channels/index.js';
import { buildDigest } from '../../../src/deliver/digest.js';
import { buildPayload } from '../../../src/deliver/payload.js';
import { createAddressPolicy } from '../../../src/net/address-policy.js';
import { handleDelivery } from '../../../src/pipeline/handle-delivery.js';
import { pipelineDeps } from '../../helpers/pipeline-deps.js';
import { freePort, startRedis, type TestRedis } from '../../helpers/redis-server.js';

const CERT = fs.readFileSync(new URL('../../fixtures/tls/localhost.crt', import.meta.url), 'utf8');
const KEY = fs.readFileSync(new URL('../../fixtures/tls/localhost.key', import.meta.url), 'utf8');
const PASSWORD = 'smtp-Pa55word-secret';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

interface Received {
  user?: string;
  rcpt: string[];
  secure: boolean;
  mail: ParsedMail;
}

/** A real SMTP server on loopback; `reject(n)` may refuse the n-th message with an SMTP reply code. */
async function startSmtp(
  opts: Partial<SMTPServerOptions> = {},
  reject: (n: number) => number | undefined = () => undefined,
) {
  const received: Received[] = [];
  let n = 0;
  const server = new SMTPServer({
    key: KEY,
    cert: CERT,
    authOptional: false,
    disabledCommands: [],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'desk' && auth.password === PASSWORD) return callback(null, { user: 'desk' });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const code = reject(++n);
      simpleParser(stream).then((mail) => {
        if (code) return callback(Object.assign(new Error(`refused (${code})`), { responseCode: code }));
        received.push({
          user: session.user as string | undefined,
          rcpt: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          mail,
        });
        callback();
      }, callback);
    },
    ...opts,
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const indent = (text: string, by: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');

function emailConfig(prefix: string, url: string) {
  return `
redisPrefix: ${prefix}
watches: [{ id: macron, terms: [Macron] }]
webhooks:
  - id: mail
    format: email
    url: ${url}
    retry: [1m]
    email:
      from: "Mediawatch <alerts@newsroom.example>"
      to: [desk@newsroom.example, chief@newsroom.example]
      user: desk
      pass: ${PASSWORD}
      listUnsubscribe: [mailto:unsubscribe@newsroom.example, https://newsroom.example/unsubscribe]
      ca: |
${indent(CERT, '        ')}
`;
}

const payload = (id: string, title = 'Macron <meets> NATO') =>
  buildPayload({
    alertId: id,
    storyId: 'st',
    feed: { id: 'world', url: 'https://news.example.com/world.rss' },
    item: { key: id, url: `https://news.example.com/${id}`, title, summary: '', content: '' },
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
  webhookId: 'mail',
  fetchedAt: 0,
  payload: payload(id),
});

async function withSmtp(
  prefix: string,
  smtp: Awaited<ReturnType<typeof startSmtp>>,
  url: string,
  test: (deps: ReturnType<typeof pipelineDeps>) => Promise<void>,
) {
  const deps = pipelineDeps(redis.client(), emailConfig(prefix, url));
  try {
    await test(deps);
  } finally {
    await deps.close();
    await smtp.close();
  }
}

describe('e-mail over SMTP', () => {
  it('sends one message per alert over STARTTLS with AUTH: text and HTML, Message-ID from the alert id, List-Unsubscribe', async () => {
    const smtp = await startSmtp();
    await withSmtp('mail-ok', smtp, `smtp://localhost:${smtp.port}`, async (deps) => {
      expect(await handleDelivery('msg_a1', alert('msg_a1'), deps)).toEqual({ kind: 'delivered' });
      expect(smtp.received).toHaveLength(1);
      const [{ user, rcpt, secure, mail }] = smtp.received;
      expect([user, secure, rcpt]).toEqual([
        'desk',
        true,
        ['desk@newsroom.example', 'chief@newsroom.example'],
      ]);
      expect(mail.messageId).toBe('<msg_a1@newsroom.example>');
      expect(mail.subject).toBe('[mediawatch] New mention: Emmanuel Macron — Macron <meets> NATO');
      expect(mail.from?.value).toEqual([{ address: 'alerts@newsroom.example', name: 'Mediawatch' }]);
      const unsubscribe = mail.headerLines
        .find((h) => h.key === 'list-unsubscribe')
        ?.line.replace(/\r?\n/g, ''); // unfolded
      expect(unsubscribe).toBe(
        'List-Unsubscribe: <mailto:unsubscribe@newsroom.example>, <https://newsroom.example/unsubscribe>',
      );
      expect(mail.text).toContain(
        'Macron <meets> NATO\nhttps://news.example.com/msg_a1\nEmmanuel Macron — «Macron» meets NATO',
      );
      expect(mail.html).toContain('<a href="https://news.example.com/msg_a1">Macron &lt;meets&gt; NATO</a>');
    });
  });

  it('sends a digest window as one message listing its alerts', async () => {
    const smtp = await startSmtp();
    await withSmtp('mail-digest', smtp, `smtp://localhost:${smtp.port}`, async (deps) => {
      const window = { start: Date.parse('2026-11-28T09:00:00Z'), end: Date.parse('2026-11-28T09:15:00Z') };
      const id = 'dig_1';
      const digest = buildDigest(
        id,
        window,
        [payload('msg_d1', 'First'), payload('msg_d2', 'Second')],
        window.end,
      );
      const hook = deps.current().config.webhooks[0];
      expect(
        await sendPayload({ http: deps.webhookHttp, mailer: deps.mailer }, hook, id, digest, Date.now),
      ).toMatchObject({ kind: 'delivered' });
      const [{ mail }] = smtp.received;
      expect(mail.subject).toBe(
        '[mediawatch] 2 mention(s) from 2026-11-28T09:00:00.000Z to 2026-11-28T09:15:00.000Z',
      );
      expect(mail.messageId).toBe('<dig_1@newsroom.example>');
      expect(mail.text).toMatch(/First[\s\S]*Second/);
    });
  });

  it('speaks TLS from the start for an smtps:// URL', async () => {
    const smtp = await startSmtp({ secure: true });
    await withSmtp('mail-tls', smtp, `smtps://localhost:${smtp.port}`, async (deps) => {
      expect(await handleDelivery('msg_a2', alert('msg_a2'), deps)).toEqual({ kind: 'delivered' });
      expect(smtp.received[0].secure).toBe(true);
    });
  });

  it('refuses to send when STARTTLS is required and the server does not speak it', async () => {
    const smtp = await startSmtp({ disabledCommands: ['STARTTLS'] });
    await withSmtp('mail-notls', smtp, `smtp://localhost:${smtp.port}`, async (deps) => {
      const result = await handleDelivery('msg_a3', alert('msg_a3'), deps);
      expect(result).toMatchObject({
        kind: 'give-up',
        error: { message: expect.stringContaining('STARTTLS') },
      });
      expect(smtp.received).toHaveLength(0);
    });
  });

  it('retries a temporary refusal (4xx) and gives up on a permanent one (5xx)', async () => {
    const smtp = await startSmtp({}, (n) => (n === 1 ? 451 : 550));
    await withSmtp('mail-refused', smtp, `smtp://localhost:${smtp.port}`, async (deps) => {
      expect(await handleDelivery('msg_a4', alert('msg_a4'), deps)).toMatchObject({
        kind: 'retry',
        error: { details: { status: 451 } },
      });
      expect(await handleDelivery('msg_a4', alert('msg_a4'), deps)).toMatchObject({
        kind: 'give-up',
        error: { details: { status: 550 } },
      });
    });
  });

  it('gives up on a wrong password, and the password appears nowhere in the error', async () => {
    const smtp = await startSmtp();
    const deps = pipelineDeps(
      redis.client(),
      emailConfig('mail-auth', `smtp://localhost:${smtp.port}`).replace(
        `pass: ${PASSWORD}`,
        'pass: not-the-Pa55word',
      ),
    );
    try {
      const result = await handleDelivery('msg_a5', alert('msg_a5'), deps);
      expect(result).toMatchObject({ kind: 'give-up', error: { details: { status: 535 } } });
      expect(
        JSON.stringify(result.kind === 'give-up' && [result.error.message, result.error.toJSON()]),
      ).not.toContain('not-the-Pa55word');
    } finally {
      await deps.close();
      await smtp.close();
    }
  });

  it('connects only where the address policy allows', async () => {
    const smtp = await startSmtp();
    const mailer = createMailer(createAddressPolicy({ allowPrivateAddresses: false, allowHosts: [] }));
    const hook = {
      id: 'mail',
      url: `smtp://127.0.0.1:${smtp.port}`,
      timeout: 5_000,
      email: {
        from: 'a@b.example',
        to: ['c@d.example'],
        user: '',
        pass: '',
        starttls: 'off' as const,
        subjectPrefix: '',
      },
    };
    const sent = await mailer.send(hook, { from: 'a@b.example', to: 'c@d.example', text: 'x' });
    await smtp.close();
    expect(sent).toMatchObject({ ok: false, error: { code: 'blocked-address', retryable: false } });
  });
});
