/**
 * A private redis-server per test file, on a free loopback port, so tests never touch a shared
 * Redis and can stop and restart theirs for fault tests. With MEDIAWATCH_TEST_REDIS_URL set,
 * tests use that server instead (and cannot restart it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from './wait.js';

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** The server's process id, while it runs one of ours. */
  pid(): number | undefined;
  /** A fresh client; closed by stop(). */
  client(): Redis;
  restart(): Promise<void>;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    const done = (v: boolean) => {
      c.destroy();
      resolve(v);
    };
    c.setTimeout(500, () => done(false));
    c.on('connect', () => c.write('PING\r\n'));
    c.on('data', (d) => done(d.toString().startsWith('+PONG')));
    c.on('error', () => done(false));
  });
}

export async function startRedis(opts: { aof?: boolean; args?: string[] } = {}): Promise<TestRedis> {
  const clients: Redis[] = [];
  const external = process.env.MEDIAWATCH_TEST_REDIS_URL;
  if (external) {
    const port = Number(new URL(external).port || 6379);
    const noop = async () => {
      throw new Error('cannot restart an external Redis (MEDIAWATCH_TEST_REDIS_URL)');
    };
    return {
      url: external,
      port,
      dir: '',
      pid: () => undefined,
      client: () => track(new Redis(external, { maxRetriesPerRequest: null })),
      restart: noop,
      kill: noop,
      start: noop,
      stop: async () => {
        clients.forEach((c) => c.disconnect());
      },
    };
  }
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-test-redis-'));
  // Later arguments win in redis-server, so opts.args can override these defaults.
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--appendonly',
    opts.aof ? 'yes' : 'no',
    '--maxmemory-policy',
    'noeviction',
    ...(opts.args ?? []),
  ];
  let proc: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  function track(c: Redis): Redis {
    // Fault tests stop this server on purpose; the client reconnects, and its commands fail meanwhile.
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  }
  const start = async () => {
    proc = spawn('redis-server', args, { stdio: 'ignore' });
    proc.once('error', (e) => {
      throw new Error(`cannot start redis-server (is it installed?): ${e.message}`);
    });
    await waitFor(() => ping(port), 10_000, `redis-server on port ${port}`, 50);
  };
  const halt = async (signal: NodeJS.Signals) => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await exited;
  };
  await start();
  return {
    url,
    port,
    dir,
    start,
    pid: () => proc?.pid,
    client: () => track(new Redis(url, { maxRetriesPerRequest: null })),
    restart: async () => {
      await halt('SIGTERM');
      await start();
    },
    kill: () => halt('SIGKILL'),
    stop: async () => {
      clients.forEach((c) => c.disconnect());
      await halt('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
