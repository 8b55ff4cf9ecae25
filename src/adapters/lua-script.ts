/**
 * Runs a Lua script by its SHA and loads it on NOSCRIPT, so callers send a 40-byte digest instead of
 * the script on every call and still survive a Redis restart or failover that flushed the cache.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type LuaArg = string | Buffer | number;

export interface LuaScript {
  readonly sha: string;
  /** String replies come back as Buffers, so binary values survive. */
  run(redis: Redis, keys: string[], args: LuaArg[]): Promise<unknown>;
}

export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    sha,
    async run(redis, keys, args) {
      try {
        return await redis.callBuffer('EVALSHA', [sha, keys.length, ...keys, ...args]);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return redis.callBuffer('EVAL', [source, keys.length, ...keys, ...args]);
      }
    },
  };
}
