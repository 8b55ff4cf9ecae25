/**
 * Redis connections for BullMQ and for our own stores. BullMQ workers need
 * maxRetriesPerRequest: null (blocking commands must wait out a reconnect); producers and
 * stores fail fast instead, so a Redis outage shows up as an error, not a hang.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { MediawatchError } from '../contracts/errors.js';

export type Role = 'worker' | 'client';

export function connectRedis(url: string, role: Role, extra: RedisOptions = {}): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MediawatchError('config', `REDIS_URL "${url}" is not a URL (expected redis://host:port or rediss://…)`);
  }
  if (!['redis:', 'rediss:'].includes(parsed.protocol)) {
    throw new MediawatchError('config', `REDIS_URL must start with redis:// or rediss://, got "${parsed.protocol}"`);
  }
  return new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 5), 5_000),
    lazyConnect: false,
    ...extra,
  });
}

/**
 * BullMQ keeps jobs in Redis memory: an eviction policy other than noeviction would silently
 * drop queued alerts, so refuse to start on such a server.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.call('CONFIG', 'GET', 'maxmemory-policy').catch(() => null)) as string[] | null;
  const policy = reply?.[1];
  if (policy && policy !== 'noeviction') {
    throw new MediawatchError(
      'config',
      `Redis maxmemory-policy is "${policy}": queued items and alerts could be evicted and lost. Set "maxmemory-policy noeviction" on the Redis server.`,
    );
  }
}
