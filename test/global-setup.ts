/**
 * Integration tests run the compiled service as child processes: build it once per test run.
 * A failed build is reported here, and the tests that start the service then fail on their own.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const tsc = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, encoding: 'utf8' },
  );
  if (tsc.status !== 0)
    console.error(`build failed; tests that start the service will fail:\n${tsc.stdout}${tsc.stderr}`);
  const lua = spawnSync(process.execPath, [path.join(root, 'scripts/copy-lua.mjs')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (lua.status !== 0)
    console.error(`copying the Lua scripts failed; tests that start the service will fail:\n${lua.stderr}`);
}
