/**
 * Lua scripts run by their SHA: a call sends a 40-byte digest instead of the script, and a script
 * Redis no longer has (after a restart or failover flushed the cache) is sent once more with EVAL.
 * A script's file is read once, when the module that uses it loads.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
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

/** What one call of a script sends. */
export interface LuaCall {
  keys: string[];
  args: LuaArg[];
}

/** How a request becomes a script's KEYS and ARGV, and how its reply becomes a typed result. */
export interface LuaCodec<Req, Res> {
  encode(request: Req): LuaCall;
  decode(reply: unknown, request: Req): Res;
}

export interface TypedScript<Req, Res> {
  run(redis: Redis, request: Req): Promise<Res>;
}

/** The script in `file` (a .lua file beside the calling module), called through its codec. */
export function loadScript<Req, Res>(file: URL, codec: LuaCodec<Req, Res>): TypedScript<Req, Res> {
  const script = luaScript(fs.readFileSync(file, 'utf8'));
  return {
    async run(redis, request) {
      const { keys, args } = codec.encode(request);
      return codec.decode(await script.run(redis, keys, args), request);
    },
  };
}
