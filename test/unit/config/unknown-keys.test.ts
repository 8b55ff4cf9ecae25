import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config/load.js';

function problems(yaml: string): string[] {
  try {
    parseConfig(yaml, 'test.yaml', {});
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

const CONFIG = `schedule: "*/5 * * * *"
feeds:
  - id: world
    url: https://example.org/world.rss
watches:
  - id: macron
    terms: ["Macron"]
`;

describe('unknown keys in the config', () => {
  it.each([
    [
      'at the top level',
      CONFIG.replace('feeds:', 'feedz:\n  - x\nfeeds:'),
      ['line 2, feedz: unknown key "feedz"'],
    ],
    [
      'in a list item',
      CONFIG.replace('    terms:', '    term: [Macron]\n    terms:'),
      ['line 7, watches[0].term: unknown key "term"'],
    ],
    [
      'in a nested section',
      `${CONFIG}fetch:\n  adaptive:\n    enabled: true\n    maximum: 1h\n`,
      ['line 11, fetch.adaptive.maximum: unknown key "maximum"'],
    ],
    [
      'in a flow map',
      `${CONFIG}network: { allowPrivate: true }\n`,
      ['line 8, network.allowPrivate: unknown key "allowPrivate"'],
    ],
    [
      'two in one map, each on its line',
      CONFIG.replace('    url:', '    urls: x\n    url:').replace('    terms:', '    labels: y\n    terms:'),
      ['line 4, feeds[0].urls: unknown key "urls"', 'line 8, watches[0].labels: unknown key "labels"'],
    ],
  ])('are reported with their own line %s', (_, yaml, expected) => {
    expect(problems(yaml)).toEqual(expected);
  });
});
