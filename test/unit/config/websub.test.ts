import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';

const WATCHES = [{ id: 'w', terms: ['x'] }];
const websubOf = (websub: unknown) => configSchema.safeParse({ websub, watches: WATCHES });

describe('the websub section of the config', () => {
  it('is off without a callbackBase, with defaults for the rest', () => {
    const r = websubOf(undefined);
    expect(r.success && r.data.websub).toEqual({
      leaseSeconds: 604_800,
      renewAt: 0.8,
      pollSlowdown: 4,
      silentAfter: 3_600_000,
      retryMin: 60_000,
      retryMax: 21_600_000,
      verifyWithin: 600_000,
      checkEvery: 30_000,
      timeout: 15_000,
    });
  });

  it('drops a trailing slash of the callbackBase and reads durations', () => {
    const r = websubOf({ callbackBase: 'https://mw.example.org/push/', silentAfter: '2h', retryMin: '30s' });
    expect(r.success && r.data.websub).toMatchObject({
      callbackBase: 'https://mw.example.org/push',
      silentAfter: 7_200_000,
      retryMin: 30_000,
    });
  });

  it.each([
    [{ callbackBase: 'mw.example.org' }, 'callbackBase', 'is not an http(s) URL'],
    [{ callbackBase: 'ftp://mw.example.org' }, 'callbackBase', 'is not an http(s) URL'],
    [{ callbackBase: 'https://mw.example.org/?token=1' }, 'callbackBase', 'has a query or fragment'],
    [{ leaseSeconds: 10 }, 'leaseSeconds', 'at least 60 seconds'],
    [{ renewAt: 1 }, 'renewAt', 'renew before the lease ends'],
    [{ pollSlowdown: 0.5 }, 'pollSlowdown', ''],
    [{ checkEvery: '10ms' }, 'checkEvery', 'at least 100ms'],
    [{ silentAfter: 'a while' }, 'silentAfter', 'is not a duration'],
    [{ hubs: [] }, '', 'hubs'],
  ])('names the problem of %j', (websub, field, message) => {
    const r = websubOf(websub);
    expect(r.success).toBe(false);
    const issue = r.error?.issues.find(
      (i) => i.path.join('.') === ['websub', field].filter(Boolean).join('.'),
    );
    expect(JSON.stringify(issue)).toContain(message);
  });
});
