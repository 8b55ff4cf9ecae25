/**
 * With no REDIS_URL, use the Redis on 127.0.0.1:6379 when one answers, else start a private
 * redis-server from PATH (data under ./data, AOF on, so queued alerts survive a restart).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MediawatchError } from '../contracts/errors.js';
import type { Logger } from './logger.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface ResolvedRedis {
  url: string;
  /** Stops the private server, when we started one. */
  stop(): Promise<void>;
}

function redisAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    const done = (v: boolean) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(/^(\+PONG|-NOAUTH)/.test(d.toString())));
    socket.on('error', () => done(false));
  });
}

export interface LocalRedisOptions {
  dataDir?: string;
  /** Where a local Redis is looked for first. */
  probePort?: number;
  /** The port of the private server, when one is started. */
  privatePort?: number;
}

export async function resolveRedis(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  opts: LocalRedisOptions = {},
): Promise<ResolvedRedis> {
  if (env.REDIS_URL) return { url: env.REDIS_URL, stop: async () => {} };
  const probePort = opts.probePort ?? 6379;
  if (await redisAnswers('127.0.0.1', probePort)) {
    const url = `redis://127.0.0.1:${probePort}`;
    logger.info({ redis: url }, `no REDIS_URL set: using the Redis that answers on 127.0.0.1:${probePort}`);
    return { url, stop: async () => {} };
  }
  return startPrivateRedis(path.resolve(opts.dataDir ?? 'data'), opts.privatePort ?? 6390, logger);
}

async function startPrivateRedis(dir: string, port: number, logger: Logger): Promise<ResolvedRedis> {
  fs.mkdirSync(dir, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
  ];
  const proc: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = new Promise<boolean>((resolve) => proc.once('error', () => resolve(true)));
  for (let i = 0; i < 50; i++) {
    if (await Promise.race([failed, new Promise<false>((r) => setTimeout(() => r(false), 100))])) break;
    if (await redisAnswers('127.0.0.1', port)) {
      logger.info(
        { redis: `redis://127.0.0.1:${port}`, dataDir: dir },
        'no REDIS_URL set and nothing on 127.0.0.1:6379: started a private redis-server (AOF on)',
      );
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: () =>
          new Promise((resolve) => {
            if (proc.exitCode !== null) return resolve();
            proc.once('exit', () => resolve());
            proc.kill('SIGTERM');
          }),
      };
    }
  }
  proc.kill('SIGKILL');
  throw new MediawatchError(
    'config',
    'No Redis: REDIS_URL is not set, nothing answers on 127.0.0.1:6379, and redis-server could not be started from PATH. ' +
      'Set REDIS_URL=redis://host:port, or install Redis (e.g. "apt-get install redis-server"), or run "docker compose up".',
  );
}
