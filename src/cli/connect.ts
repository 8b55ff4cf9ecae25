/** Operator commands talk to the same Redis and config as the service. */
import type { Redis } from 'ioredis';
import { DEFAULT_REDIS_URL } from '../adapters/local-redis.js';
import { openQueues, type Queues } from '../adapters/queues.js';
import { connectRedis } from '../adapters/redis.js';
import { DEFAULT_CONFIG_PATH, loadConfigFile, type LoadedConfig } from '../config/load.js';

export interface OperatorContext {
  loaded: LoadedConfig;
  redis: Redis;
  queues: Queues;
  close(): Promise<void>;
}

/** The config a command reads: --config, else MEDIAWATCH_CONFIG, else the default path. */
export function configPathOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag || env.MEDIAWATCH_CONFIG || DEFAULT_CONFIG_PATH;
}

/** The `--config <path>` option every command that reads the config takes (node:util parseArgs). */
export const CONFIG_OPTION = { config: { type: 'string' } } as const;

export function connectOperator(env: NodeJS.ProcessEnv, configPath: string): OperatorContext {
  const loaded = loadConfigFile(configPath, env);
  const redis = connectRedis(env.REDIS_URL || DEFAULT_REDIS_URL, 'client', { enableOfflineQueue: true, maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
  const queues = openQueues(redis, loaded.config.redisPrefix);
  return {
    loaded, redis, queues,
    close: async () => {
      await queues.close();
      redis.disconnect();
    },
  };
}
