import { describe, expect, it } from 'vitest';
import { classify, type WebhookTarget } from '../../../src/deliver/send.js';

const TARGET: WebhookTarget = { id: 'newsroom', url: 'https://hooks.example.org/mw', timeoutMs: 15_000 };
const NOW = Date.parse('2026-11-28T12:00:00Z');

describe('what a receiver answer means', () => {
  it.each([
    [200, 'delivered'],
    [201, 'delivered'],
    [204, 'delivered'],
    [410, 'gone'],
  ])('HTTP %i is %s', (status, kind) => {
    expect(classify(status, {}, TARGET, NOW, 5).kind).toBe(kind);
  });

  it.each([
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [413, false],
    [422, false],
    [301, false],
    [302, false],
    [307, false],
  ])('HTTP %i fails, retryable: %s', (status, retryable) => {
    const outcome = classify(status, {}, TARGET, NOW, 5);
    expect(outcome.kind).toBe('failed');
    if (outcome.kind === 'failed') expect(outcome.error.retryable).toBe(retryable);
  });

  it('says where a redirect pointed, since it is not followed', () => {
    const outcome = classify(302, { location: 'https://elsewhere.example.org/' }, TARGET, NOW, 5);
    expect(outcome.kind === 'failed' && outcome.error.message).toMatch(
      /redirect to https:\/\/elsewhere\.example\.org\/.*not followed/,
    );
  });

  it.each([
    [429, { 'retry-after': '120' }, 120_000],
    [503, { 'retry-after': 'Sat, 28 Nov 2026 12:10:00 GMT' }, 600_000],
    [500, { 'retry-after': '120' }, undefined],
  ])('HTTP %i with %o asks to wait %s ms', (status, headers, wait) => {
    const outcome = classify(status, headers, TARGET, NOW, 5);
    expect(outcome.kind === 'failed' && outcome.error.details.retryAfterMs).toBe(wait);
  });
});
