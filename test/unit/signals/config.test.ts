import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config/load.js';
import { outletOf } from '../../../src/signals/pickup.js';

const yamlWith = (signals: string, feedExtra = '') => `
feeds:
  - id: lemonde
    url: https://www.lemonde.fr/rss/une.xml${feedExtra}
  - id: lemonde-intl
    url: https://www.lemonde.fr/international/rss_full.xml
watches:
  - id: macron
    terms: ["Macron"]
  - id: nato
    terms: ["NATO"]
webhooks:
  - id: newsroom
    url: https://hooks.example.org/mw
    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
    signals:
${signals}
`;

function problems(yaml: string): string {
  try {
    parseConfig(yaml, 'test.yaml', {});
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  return '';
}

describe('signals in the config', () => {
  it('reads pickup thresholds in order with a default window, and spikes with default sensitivity', () => {
    const { config } = parseConfig(
      yamlWith(`      - {type: pickup, watches: [macron], outlets: [10, 5]}
      - {type: spike, watches: [nato]}`),
      'test.yaml',
      {},
    );
    expect(config.webhooks[0].signals).toEqual([
      { type: 'pickup', watches: ['macron'], outlets: [5, 10], within: 3_600_000 },
      { type: 'spike', watches: ['nato'], sensitivity: 4, minCount: 5 },
    ]);
  });

  it.each([
    [
      'an unknown watch',
      '      - {type: pickup, watches: [putin], outlets: 5}',
      /line 17, webhooks\[0\]\.signals\[0\]\.watches\[0\].*no watch has the id "putin"/,
    ],
    ['an unknown type', '      - {type: peak, outlets: 5}', /line 17, webhooks\[0\]\.signals\[0\]\.type/],
    ['one outlet', '      - {type: pickup, outlets: 1}', /line 17, webhooks\[0\]\.signals\[0\]\.outlets/],
    [
      'a window that is not a duration',
      '      - {type: pickup, outlets: 5, within: soon}',
      /"soon" is not a duration/,
    ],
  ])('refuses %s, naming the field', (_, signals, pattern) => {
    expect(problems(yamlWith(signals))).toMatch(pattern);
  });

  it("counts two feeds of one site as one outlet, and a feed's outlet label over its host", () => {
    const plain = parseConfig(yamlWith('      - {type: pickup, outlets: 5}'), 'test.yaml', {}).config;
    expect(outletOf(plain, 'lemonde', plain.feeds[0].url)).toBe('www.lemonde.fr');
    expect(outletOf(plain, 'lemonde-intl', plain.feeds[1].url)).toBe('www.lemonde.fr');
    const labelled = parseConfig(
      yamlWith('      - {type: pickup, outlets: 5}', '\n    outlet: Le Monde'),
      'test.yaml',
      {},
    ).config;
    expect(outletOf(labelled, 'lemonde', labelled.feeds[0].url)).toBe('Le Monde');
  });
});
