/**
 * Redis connections for BullMQ and for our own stores. BullMQ workers need
 * maxRetriesPerRequest: null (blocking commands must wait out a reconnect); producers and
 * stores fail fast instead, so a Redis outage shows up as an error, not a hang.
 *
 * REDIS_URL is either one server (`redis://` or `rediss://`) or a Redis Cluster given by some of
 * its nodes: `redis+cluster://[user:password@]host:port[,host:port…]` (`rediss+cluster://` for
 * TLS). Every key a script or transaction touches together shares a hash tag, so the same code
 * runs on both.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { MediawatchError } from '../contracts/errors.js';

export type Role = 'worker' | 'client';

type RedisTarget =
  | { kind: 'single'; url: string }
  | {
      kind: 'cluster';
      nodes: { host: string; port: number }[];
      username?: string;
      password?: string;
      tls: boolean;
    };

const CLUSTER_SCHEMES = ['redis+cluster:', 'rediss+cluster:'];

function parseRedisUrl(url: string): RedisTarget {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme && CLUSTER_SCHEMES.includes(scheme)) return parseClusterUrl(url, scheme);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MediawatchError(
      'config',
      `REDIS_URL "${url}" is not a URL (expected redis://host:port, rediss://… or redis+cluster://host:port,host:port)`,
    );
  }
  if (!['redis:', 'rediss:'].includes(parsed.protocol)) {
    throw new MediawatchError(
      'config',
      `REDIS_URL must start with redis://, rediss:// or redis+cluster://, got "${parsed.protocol}"`,
    );
  }
  return { kind: 'single', url };
}

function parseClusterUrl(url: string, scheme: string): RedisTarget {
  const rest = url.slice(scheme.length + 2).replace(/\/.*$/, '');
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const hosts = at >= 0 ? rest.slice(at + 1) : rest;
  const nodes = hosts
    .split(',')
    .filter((h) => h !== '')
    .map((h) => {
      const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h);
      const port = Number(m?.[2] ?? 6379);
      if (!m || port < 1 || port > 65535)
        throw new MediawatchError('config', `REDIS_URL: "${h}" is not host:port in the cluster node list`);
      return { host: m[1].replace(/^\[|\]$/g, ''), port };
    });
  if (nodes.length === 0)
    throw new MediawatchError(
      'config',
      'REDIS_URL names no cluster node (expected redis+cluster://host:port,host:port)',
    );
  const [user, password] =
    auth === ''
      ? []
      : auth.includes(':')
        ? [auth.slice(0, auth.indexOf(':')), auth.slice(auth.indexOf(':') + 1)]
        : [undefined, auth];
  return {
    kind: 'cluster',
    nodes,
    tls: scheme === 'rediss+cluster:',
    username: user ? decodeURIComponent(user) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
  };
}

/** The URL as it may appear in a log line: no password. */
export function describeRedisUrl(url: string): string {
  return url.replace(
    /^([a-z+]+:\/\/)([^@/]*)@/i,
    (_, scheme: string, auth: string) =>
      `${scheme}${auth.includes(':') ? `${auth.slice(0, auth.indexOf(':'))}:***` : '***'}@`,
  );
}

export function connectRedis(url: string, role: Role, extra: RedisOptions = {}): Redis {
  const target = parseRedisUrl(url);
  const options: RedisOptions = {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 5), 5_000),
    lazyConnect: false,
    ...extra,
  };
  if (target.kind === 'single') return new Redis(url, options);
  const { enableOfflineQueue, retryStrategy, lazyConnect, ...nodeOptions } = options;
  const clusterOptions: ClusterOptions = {
    enableOfflineQueue,
    lazyConnect,
    clusterRetryStrategy: retryStrategy ? (times) => retryStrategy(times) : undefined,
    redisOptions: {
      ...nodeOptions,
      username: target.username,
      password: target.password,
      ...(target.tls ? { tls: {} } : {}),
    },
  };
  // Our stores and BullMQ are written against the Redis command interface, which Cluster
  // implements too, routing each command (and each single-slot script) to its node.
  return new Cluster(target.nodes, clusterOptions) as unknown as Redis;
}

export function isCluster(redis: Redis): boolean {
  return (redis as unknown) instanceof Cluster;
}

/** The servers that hold the data: every master of a cluster, or the one server. */
function masters(redis: Redis): Redis[] {
  return isCluster(redis) ? (redis as unknown as Cluster).nodes('master') : [redis];
}

/**
 * BullMQ keeps jobs in Redis memory: an eviction policy other than noeviction would silently
 * drop queued alerts, so refuse to start on such a server (on a cluster: on any master).
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  for (const server of masters(redis)) {
    const reply = (await server.call('CONFIG', 'GET', 'maxmemory-policy').catch(() => null)) as
      string[] | null;
    const policy = reply?.[1];
    if (policy && policy !== 'noeviction') {
      throw new MediawatchError(
        'config',
        `Redis maxmemory-policy is "${policy}": queued items and alerts could be evicted and lost. Set "maxmemory-policy noeviction" on the Redis server.`,
      );
    }
  }
}
