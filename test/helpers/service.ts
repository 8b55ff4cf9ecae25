/**
 * Runs the real service (`node dist/bin/mediawatch.js run`, built once by test/global-setup.ts)
 * as a child process, so tests can SIGTERM or SIGKILL it like an orchestrator would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix } from '../../src/adapters/queues.js';
import { QUEUES } from '../../src/contracts/jobs.js';
import { freePort } from './redis-server.js';
import { waitFor } from './loopback.js';

export interface ServiceProcess {
  port: number;
  proc: ChildProcess;
  log(): string;
  /** Parsed pino lines. */
  events(): Record<string, any>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export function writeConfig(yaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-config-'));
  const file = path.join(dir, 'mediawatch.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}

export async function startService(opts: {
  config: string;
  redisUrl: string;
  args?: string[];
  env?: Record<string, string>;
  waitHealthy?: boolean;
  /** The HTTP port, when the config must name it (websub.callbackBase); a free one by default. */
  port?: number;
}): Promise<ServiceProcess> {
  const port = opts.port ?? (await freePort());
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mw-svc-')), 'service.log');
  const out = fs.openSync(logFile, 'a');
  const proc = spawn(
    process.execPath,
    [path.join(ROOT, 'dist/bin/mediawatch.js'), 'run', ...(opts.args ?? [])],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        MEDIAWATCH_CONFIG: opts.config,
        REDIS_URL: opts.redisUrl,
        PORT: String(port),
        LOG_LEVEL: 'debug',
        ...opts.env,
      },
      stdio: ['ignore', out, out],
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.once('exit', (code, signal) => r({ code, signal })),
  );
  const log = () => fs.readFileSync(logFile, 'utf8');
  const svc: ServiceProcess = {
    port,
    proc,
    log,
    exited,
    events: () =>
      log()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l)),
    kill: (signal = 'SIGKILL') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
    stop: async () => {
      svc.kill('SIGTERM');
      const timeout = setTimeout(() => svc.kill('SIGKILL'), 15_000);
      const result = await exited;
      clearTimeout(timeout);
      return result;
    },
  };
  if (opts.waitHealthy !== false) {
    // Ready in about a second on an idle machine; with test files starting services side by side
    // on two busy cores it has taken over 20 seconds.
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`service exited early:\n${log()}`);
        return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200;
      },
      45_000,
      'service /readyz',
    );
  }
  return svc;
}

/**
 * Waits until the services (Redis prefix "mw") hold no items or deliver job that is waiting, active,
 * delayed or retrying: from then on nothing more reaches a receiver unless a poll brings new items.
 */
export async function waitForIdleQueues(redisUrl: string, ms: number, what: string): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = [QUEUES.items, QUEUES.deliver].map(
    (name) => new Queue(name, { connection, prefix: bullPrefix('mw') }),
  );
  const pending = async (q: Queue) =>
    Object.values(
      await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'),
    ).reduce((a, b) => a + b, 0);
  try {
    await waitFor(async () => (await Promise.all(queues.map(pending))).every((n) => n === 0), ms, what);
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    connection.disconnect();
  }
}
