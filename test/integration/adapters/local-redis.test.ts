/** `npm start` with no REDIS_URL: a local Redis if one answers, else a private one, else a clear error. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { resolveRedis } from '../../../src/adapters/local-redis.js';
import { freePort, startRedis } from '../../helpers/redis-server.js';

const logger = pino({ level: 'silent' });

describe('finding a Redis when REDIS_URL is not set', () => {
  it('uses REDIS_URL when it is set, without probing anything', async () => {
    const r = await resolveRedis({ REDIS_URL: 'redis://redis.internal:6379' }, logger, { probePort: 1 });
    expect(r.url).toBe('redis://redis.internal:6379');
  });

  it('uses the Redis that answers on the local port', async () => {
    const server = await startRedis();
    try {
      const r = await resolveRedis({}, logger, { probePort: server.port });
      expect(r.url).toBe(`redis://127.0.0.1:${server.port}`);
    } finally {
      await server.stop();
    }
  });

  it('starts a private redis-server with AOF under the data folder when nothing answers', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-data-'));
    const r = await resolveRedis({}, logger, {
      probePort: await freePort(),
      privatePort: await freePort(),
      dataDir,
    });
    const client = new Redis(r.url);
    try {
      await client.set('k', 'v');
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(fs.readdirSync(dataDir).join()).toMatch(/appendonly/);
    } finally {
      client.disconnect();
      await r.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says how to get a Redis when there is none and redis-server is not on PATH', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(
        resolveRedis({}, logger, {
          probePort: await freePort(),
          privatePort: await freePort(),
          dataDir: os.tmpdir(),
        }),
      ).rejects.toThrow(
        /REDIS_URL is not set.*redis-server could not be started.*apt-get install redis-server/s,
      );
    } finally {
      process.env.PATH = saved;
    }
  });
});
