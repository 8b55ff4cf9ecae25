/** The options every command shares: --version, <command> --help, and --config (or MEDIAWATCH_CONFIG). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { ROOT, startService, writeConfig } from '../../helpers/service.js';

const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const COMMANDS = ['run', 'check-config', 'match', 'alerts', 'feeds', 'backtest', 'stories'];
const CONFIG = writeConfig('watches:\n  - { id: macron, terms: [Macron] }\n');
const NOWHERE = '/nonexistent/mediawatch.yaml';

function mediawatch(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/bin/mediawatch.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 20_000,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end('Mr. Macron spoke.');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('mediawatch --version', () => {
  it.each([['--version'], ['-V'], ['version']])(
    'prints the version of package.json with %s and exits 0',
    async (flag) => {
      const r = await mediawatch([flag]);
      expect(r).toMatchObject({ code: 0, out: `${VERSION}\n` });
    },
  );
});

describe('mediawatch <command> --help', () => {
  it.each(COMMANDS)('prints the help of %s, with its --config option, and exits 0', async (command) => {
    const r = await mediawatch([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^usage: mediawatch ${command}\\b`));
    expect(r.out).toContain('--config <path>');
  });

  it('answers -h after other arguments too, without running the command', async () => {
    const r = await mediawatch(['alerts', 'replay', '--all', '-h'], { REDIS_URL: 'redis://127.0.0.1:9' });
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^usage: mediawatch alerts failed/);
  });

  it('exits 2 with the command help for an unknown option', async () => {
    const r = await mediawatch(['stories', 'show', 'x', '--colour']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown option '--colour'/);
    expect(r.err).toContain('usage: mediawatch stories show');
  });
});

describe('mediawatch --config', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.each([
    ['check-config', ['check-config', '--config', CONFIG], /: OK/],
    ['match', ['match', '--config', CONFIG, '-'], /^macron \(macron\): 1 hit/m],
    ['alerts failed', ['alerts', 'failed', '--config', CONFIG], /no failed alerts/],
    ['feeds', ['feeds', '--config', CONFIG], /^$/],
    ['backtest', ['backtest', '--config', CONFIG], /backtest over 0 item/],
  ])('%s reads the config --config names, over MEDIAWATCH_CONFIG', async (_, args, out) => {
    const r = await mediawatch(args, { MEDIAWATCH_CONFIG: NOWHERE, REDIS_URL: redis.url });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(out);
  });

  it('stories reads the config --config names, over MEDIAWATCH_CONFIG', async () => {
    const r = await mediawatch(['stories', 'show', 'nosuchstory', '--config', CONFIG], {
      MEDIAWATCH_CONFIG: NOWHERE,
      REDIS_URL: redis.url,
    });
    expect(r).toMatchObject({
      code: 1,
      err: 'no story nosuchstory (unknown, or older than the retention window)\n',
    });
  });

  it.each([['check-config'], ['alerts', 'failed'], ['stories', 'show', 'x']])(
    '%s without --config reads MEDIAWATCH_CONFIG',
    async (...args) => {
      const r = await mediawatch(args, { MEDIAWATCH_CONFIG: NOWHERE, REDIS_URL: redis.url });
      expect(r.code).toBe(1);
      expect(r.err).toContain(`${NOWHERE}: cannot read the file`);
    },
  );

  it('run reads the config --config names', async () => {
    const svc = await startService({ config: NOWHERE, redisUrl: redis.url, args: ['--config', CONFIG] });
    try {
      expect(svc.events().find((e) => e.msg === 'mediawatch started')).toMatchObject({ config: CONFIG });
    } finally {
      expect(await svc.stop()).toMatchObject({ code: 0 });
    }
  });
});
