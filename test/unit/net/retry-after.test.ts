import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../../src/net/retry-after.js';

const NOW = Date.parse('2026-01-10T12:00:00Z');

describe('Retry-After', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Sat, 10 Jan 2026 12:05:00 GMT', 300_000],
    ['Sat, 10 Jan 2026 11:00:00 GMT', 0],
    ['9999999', MAX_RETRY_AFTER_MS],
    ['Mon, 10 Jan 2028 12:00:00 GMT', MAX_RETRY_AFTER_MS],
    ['soon', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %j ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });
});
