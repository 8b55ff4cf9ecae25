import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config/load.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BASE = `
feeds:
  - id: world
    url: https://example.org/world.rss
watches:
  - id: macron
    terms: ["Macron"]
webhooks:
  - id: newsroom
    url: https://hooks.example.org/mw
    secret: ${SECRET}
`;

function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(yaml, 'test.yaml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config validation', () => {
  it('accepts a minimal config and fills in the defaults', () => {
    const { config } = parseConfig(BASE, 'test.yaml', {});
    expect(config.schedule).toBe('*/5 * * * *');
    expect(config.network.allowPrivateAddresses).toBe(false);
    expect(config.watches[0].label).toBe('macron');
    expect(config.webhooks[0].retry).toHaveLength(7);
    expect(config.dedupe.seenRetention).toBe(30 * 86_400_000);
    expect(config.alerts).toEqual({ retention: 7 * 86_400_000, maxAlerts: 10_000 });
    expect(Object.isFrozen(config.feeds[0])).toBe(true);
  });

  it('accepts the shipped config with no environment at all, its webhook disabled', () => {
    const text = fs.readFileSync(
      path.resolve(import.meta.dirname, '../../../config/mediawatch.yaml'),
      'utf8',
    );
    const { config } = parseConfig(text, 'mediawatch.yaml', {});
    expect(config.webhooks[0].url).toBe('');
    expect(config.watches.map((w) => w.id)).toEqual(['macron', 'putin', 'nato', 'security-guarantees']);
  });

  it.each([
    [
      'a bad cron',
      BASE.replace('feeds:', 'schedule: "every five minutes"\nfeeds:'),
      /line 2, schedule: "every five minutes" is not a valid cron/,
    ],
    [
      'a feed URL that is not http',
      BASE.replace('https://example.org/world.rss', 'ftp://example.org/x'),
      /line 4, feeds\[0\]\.url: "ftp:\/\/example.org\/x" is not an http\(s\) URL/,
    ],
    ['a bad feed id', BASE.replace('id: world', 'id: World News'), /feeds\[0\]\.id: must be lower-case/],
    ['a short secret', BASE.replace(SECRET, 'whsec_c2hvcnQ='), /webhooks\[0\]\.secret: decodes to 5 bytes/],
    ['a secret that is not whsec_', BASE.replace(SECRET, 'hunter2'), /webhooks\[0\]\.secret/],
    [
      'an unknown watch in a webhook filter',
      BASE + '    watches: [putin]\n',
      /line 12, webhooks\[0\]\.watches\[0\]: no watch has the id "putin"/,
    ],
    [
      'a watch without terms or query',
      BASE.replace('    terms: ["Macron"]\n', ''),
      /watches\[0\]: a watch needs "terms"/,
    ],
    [
      'a duplicate feed id',
      BASE.replace('watches:', '  - id: world\n    url: https://example.org/b.rss\nwatches:'),
      /feeds\[1\]\.id: duplicate id "world"/,
    ],
    ['an unknown key', BASE.replace('feeds:', 'feedz: []\nfeeds:'), /feedz/],
    ['a bad duration', BASE + '    timeout: soon\n', /webhooks\[0\]\.timeout: "soon" is not a duration/],
    [
      'an alerts retention under a minute',
      BASE.replace('feeds:', 'alerts: { retention: 10s }\nfeeds:'),
      /alerts\.retention: keep alerts at least a minute/,
    ],
    [
      'an alerts cap that is not a positive count',
      BASE.replace('feeds:', 'alerts: { maxAlerts: 0 }\nfeeds:'),
      /alerts\.maxAlerts/,
    ],
    ['YAML that does not parse', 'feeds: [\n', /line \d+/],
  ])('names the line and field of %s', (_, yaml, pattern) => {
    const found = problems(yaml);
    expect(found.join('\n')).toMatch(pattern);
  });

  it('reports every problem at once', () => {
    const yaml = BASE.replace('https://example.org/world.rss', 'nope').replace(SECRET, 'nope');
    expect(problems(yaml)).toHaveLength(2);
  });

  it('takes ${VAR} and ${VAR:-default} from the environment', () => {
    const yaml = BASE.replace('https://hooks.example.org/mw', '${HOOK_URL}').replace(
      SECRET,
      '${HOOK_SECRET:-' + SECRET + '}',
    );
    const { config } = parseConfig(yaml, 'test.yaml', { HOOK_URL: 'https://hooks.example.org/env' });
    expect(config.webhooks[0].url).toBe('https://hooks.example.org/env');
    expect(config.webhooks[0].secret).toBe(SECRET);
  });

  it('disables a webhook whose URL comes from an unset variable instead of refusing to start', () => {
    const yaml = BASE.replace('https://hooks.example.org/mw', '${HOOK_URL}').replace(
      SECRET,
      '${HOOK_SECRET}',
    );
    expect(parseConfig(yaml, 'test.yaml', {}).config.webhooks[0].url).toBe('');
  });

  it('requires a secret for a webhook that has a URL', () => {
    expect(problems(BASE.replace(SECRET, '${NOT_SET}')).join()).toMatch(
      /webhooks\[0\]\.secret: a webhook with a URL needs a secret/,
    );
  });
});
