import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/adapters/logger.js';
import { describeRedisUrl } from '../../../src/adapters/redis.js';

function capture() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('logs', () => {
  it('never print a webhook secret, a signature or a token', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        webhook: { id: 'newsroom', secret: 'whsec_abc' },
        headers: { 'webhook-signature': 'v1,xyz' },
        token: 't0ken',
      },
      'x',
    );
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/whsec_abc|v1,xyz|t0ken/);
    expect(lines[0].webhook).toEqual({ id: 'newsroom', secret: '[redacted]' });
  });

  it('print a Redis URL without its password', () => {
    expect(describeRedisUrl('redis://:hunter2@redis.internal:6379/0')).toBe(
      'redis://:***@redis.internal:6379/0',
    );
    expect(describeRedisUrl('redis://ops:hunter2@redis.internal:6379')).toBe(
      'redis://ops:***@redis.internal:6379',
    );
    expect(describeRedisUrl('redis+cluster://ops:hunter2@a:7000,b:7001')).toBe(
      'redis+cluster://ops:***@a:7000,b:7001',
    );
    expect(describeRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
