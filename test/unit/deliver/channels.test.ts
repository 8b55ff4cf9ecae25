import { describe, expect, it } from 'vitest';
import { emailMessage } from '../../../src/deliver/channels/email.js';
import { fit } from '../../../src/deliver/channels/message.js';
import { ntfyRequest } from '../../../src/deliver/channels/ntfy.js';
import { teamsRequest } from '../../../src/deliver/channels/teams.js';
import { telegramAnswer, telegramRequest } from '../../../src/deliver/channels/telegram.js';
import { buildDigest } from '../../../src/deliver/digest.js';
import { buildPayload } from '../../../src/deliver/payload.js';
import { redactText } from '../../../src/deliver/redact.js';

const alert = (n: number) =>
  buildPayload({
    alertId: `msg_${n}`,
    storyId: 'st',
    feed: { id: 'world', url: 'https://news.example.com/world.rss' },
    item: {
      key: `k${n}`,
      url: `https://news.example.com/${n}`,
      title: `Story number ${n} about NATO and its summit`,
      summary: '',
      content: '',
    },
    watches: [
      {
        id: 'nato',
        label: 'NATO',
        matches: [
          {
            term: 'NATO',
            field: 'title',
            start: 0,
            end: 4,
            snippet: 'Story about «NATO» and its summit, with a long sentence around it.',
          },
        ],
      },
    ],
    update: false,
    now: 0,
  });
const BIG = buildDigest(
  'dig_1',
  { start: 0, end: 900_000 },
  Array.from({ length: 200 }, (_, i) => alert(i)),
  900_000,
);
const telegram = { url: 'https://api.telegram.org', telegram: { token: '1:tok', chatId: '5' } };

describe('channel bodies', () => {
  it('cuts a long digest to the service limit and says how many alerts were left out', () => {
    const { text } = JSON.parse(telegramRequest(telegram, BIG).body);
    expect(text.length).toBeLessThanOrEqual(4096);
    const shown = (text.match(/Story number/g) ?? []).length;
    expect(shown).toBeGreaterThan(10);
    expect(text).toMatch(new RegExp(`… and ${200 - shown} more$`));
    expect(
      JSON.parse(
        ntfyRequest({ url: 'https://ntfy.sh', ntfy: { topic: 't', token: '', priority: 3, tags: [] } }, BIG)
          .body,
      ).message.length,
    ).toBeLessThanOrEqual(3_800);
    const card = JSON.parse(teamsRequest({ url: 'https://example.org/x' }, BIG).body).attachments[0].content;
    expect(card.body.at(-1).text).toBe('… and 180 more');
    expect(card.actions).toBeUndefined();
  });

  it('keeps a heading and blocks together while they fit', () => {
    expect(fit('H', ['a', 'b'], '\n', 100, (n) => `+${n}`)).toBe('H\na\nb');
    expect(fit('H', ['aaaa', 'bbbb', 'cccc'], '\n', 10, (n) => `+${n}`)).toBe('H\naaaa\n+2');
  });

  it('disables link previews for a digest', () => {
    expect(JSON.parse(telegramRequest(telegram, BIG).body).link_preview_options).toEqual({
      is_disabled: true,
    });
  });

  it.each([
    [
      'a 429 with retry_after',
      { ok: false, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } },
      { retryAfterMs: 7_000, detail: 'Too Many Requests: retry after 7' },
    ],
    [
      'a chat that moved',
      {
        ok: false,
        description: 'Bad Request: group chat was upgraded to a supergroup chat',
        parameters: { migrate_to_chat_id: -1009 },
      },
      {
        detail:
          'Bad Request: group chat was upgraded to a supergroup chat (the chat is now -1009: set telegram.chatId)',
      },
    ],
    ['an HTML error page', '<html>bad gateway</html>', {}],
  ])("reads Telegram's answer to %s", (_, body, expected) => {
    expect(telegramAnswer(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)))).toEqual(
      expected,
    );
  });

  it("writes an e-mail with a Message-ID from the alert id on the sender's domain, and no List-Unsubscribe unless configured", () => {
    const hook = {
      id: 'mail',
      url: 'smtp://mail.example.org',
      timeout: 5_000,
      email: {
        from: 'Desk <alerts@example.org>',
        to: ['a@example.org'],
        user: '',
        pass: '',
        starttls: 'required' as const,
        subjectPrefix: '',
      },
    };
    const mail = emailMessage(hook, 'msg_1', alert(1));
    expect(mail).toMatchObject({
      messageId: '<msg_1@example.org>',
      subject: 'New mention: NATO — Story number 1 about NATO and its summit',
      to: ['a@example.org'],
    });
    expect(mail.headers).toBeUndefined();
  });

  it('redacts every occurrence of a secret', () => {
    expect(redactText('https://x/bot1:tok/sendMessage and 1:tok', ['1:tok'])).toBe(
      'https://x/bot[redacted]/sendMessage and [redacted]',
    );
  });
});
