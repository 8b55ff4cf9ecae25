/** Runs the built `mediawatch` command as a user would, without blocking the test's own servers. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './service.js';

export function mediawatch(
  args: string[],
  opts: { env?: Record<string, string>; input?: string } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/bin/mediawatch.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    timeout: 20_000,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}
