/** Operator commands talk to the same Redis and config as the service. */
import type { Redis } from 'ioredis';
import { DEFAULT_REDIS_URL } from '../adapters/local-redis.js';
import { openQueues, type Queues } from '../adapters/queues.js';
import { connectRedis } from '../adapters/redis.js';
import fs from 'node:fs';
import { DEFAULT_CONFIG_PATH, loadConfigFile, type LoadedConfig } from '../config/load.js';
import { configSchema, type Config } from '../config/schema.js';
import { createAddressPolicy } from '../net/address-policy.js';
import { createHttpClient, type HttpClient } from '../net/http-client.js';
import { USER_AGENT } from '../net/user-agent.js';

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
  const redis = connectRedis(env.REDIS_URL || DEFAULT_REDIS_URL, 'client', {
    enableOfflineQueue: true,
    maxRetriesPerRequest: 2,
  });
  redis.on('error', () => undefined);
  const queues = openQueues(redis, loaded.config.redisPrefix);
  return {
    loaded,
    redis,
    queues,
    close: async () => {
      await queues.close();
      redis.disconnect();
    },
  };
}

/**
 * The HTTP client and fetch limits for a one-off fetch: the config's network rules when there is
 * a config, else the safe defaults.
 */
export function operatorHttp(
  configPath: string,
  env: NodeJS.ProcessEnv,
): { http: HttpClient; config: Config } {
  const config = fs.existsSync(configPath)
    ? loadConfigFile(configPath, env).config
    : configSchema.parse({ watches: [{ id: 'none', terms: ['none'] }] });
  const { network } = config;
  const policy = createAddressPolicy({
    allowPrivateAddresses: network.allowPrivateAddresses,
    allowHosts: [...network.allowHosts],
  });
  return { http: createHttpClient({ policy, userAgent: config.fetch.userAgent ?? USER_AGENT }), config };
}
