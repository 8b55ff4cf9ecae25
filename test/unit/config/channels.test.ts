import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const config = (hook: string) => `
watches: [{ id: nato, terms: [NATO] }]
webhooks:
  - id: chan
${hook
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`;
const parse = (hook: string) => parseConfig(config(hook), 'test.yaml', {}).config.webhooks[0];
const problem = (hook: string) => {
  try {
    parse(hook);
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
};

describe('channel formats in the config', () => {
  it.each([
    [
      'telegram',
      'format: telegram\nurl: https://api.telegram.org\ntelegram: { token: "1:abc", chatId: -100200 }',
      { telegram: { token: '1:abc', chatId: '-100200' } },
    ],
    [
      'ntfy',
      'format: ntfy\nurl: https://ntfy.sh\nntfy: { topic: desk }',
      { ntfy: { topic: 'desk', token: '', priority: 3, tags: [] } },
    ],
    ['teams', 'format: teams\nurl: https://example.org/workflows/x?sig=abc', { format: 'teams', secret: '' }],
    [
      'matrix',
      'format: matrix\nurl: https://matrix.example.org\nmatrix: { roomId: "!r:example.org", accessToken: syt_x }',
      { matrix: { roomId: '!r:example.org' } },
    ],
    [
      'email',
      'format: email\nurl: smtp://mail.example.org:587\nemail: { from: a@example.org, to: [b@example.org], listUnsubscribe: "mailto:u@example.org" }',
      {
        email: {
          starttls: 'required',
          listUnsubscribe: ['mailto:u@example.org'],
          subjectPrefix: '[mediawatch]',
        },
      },
    ],
  ])('accepts %s with its block, without a secret', (_, hook, expected) => {
    expect(parse(hook)).toMatchObject(expected);
  });

  it.each([
    [
      'a channel without its block',
      'format: telegram\nurl: https://api.telegram.org',
      'webhooks[0].telegram: format telegram needs a "telegram" block',
    ],
    [
      "another format's block",
      'format: ntfy\nurl: https://ntfy.sh\nntfy: { topic: a }\nmatrix: { roomId: "!r:x.org", accessToken: t }',
      '"matrix" settings are for format matrix',
    ],
    [
      'a secret on an unsigned format',
      `format: teams\nurl: https://example.org/x\nsecret: ${SECRET}`,
      'format teams is not signed',
    ],
    [
      'an SMTP URL for a webhook',
      `url: smtp://mail.example.org\nsecret: ${SECRET}`,
      'format standard needs an http(s) URL',
    ],
    [
      'an http URL for e-mail',
      'format: email\nurl: https://mail.example.org\nemail: { from: a@example.org, to: [b@example.org] }',
      'format email needs an smtp:// or smtps:// URL',
    ],
    [
      'a password in the URL',
      'format: email\nurl: smtp://u:hunter22@mail.example.org\nemail: { from: a@example.org, to: [b@example.org] }',
      'put no password in the URL',
    ],
    [
      'an empty bot token',
      'format: telegram\nurl: https://api.telegram.org\ntelegram: { token: "", chatId: 1 }',
      'webhooks[0].telegram.token: may not be empty',
    ],
    [
      'a bad room id',
      'format: matrix\nurl: https://m.example.org\nmatrix: { roomId: general, accessToken: t }',
      'a room id looks like',
    ],
    [
      'no recipient',
      'format: email\nurl: smtp://mail.example.org\nemail: { from: a@example.org, to: [] }',
      'name at least one recipient',
    ],
    [
      'a signed webhook without a secret',
      'url: https://hooks.example.org/x',
      'a webhook with a URL needs a secret',
    ],
  ])('refuses %s, naming the field', (_, hook, message) => {
    expect(problem(hook)).toContain(message);
  });

  it('lets an empty URL disable a channel whose credentials are unset too', () => {
    expect(parse('format: telegram\nurl: ""\ntelegram: { token: "", chatId: 1 }').url).toBe('');
  });
});
