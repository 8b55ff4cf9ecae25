/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>` one of them. Each prints a
 * table for people and one JSON line per result for tools. Baselines are measured in the same
 * run, because these machines are noisy. Each benchmark runs in a process of its own, so one's
 * leftover heap or sockets cannot slow the next.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCHES = ['fetch', 'match', 'pipeline', 'stories', 'extract'] as const;

const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !(BENCHES as readonly string[]).includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : BENCHES) {
  console.log(`\n=== bench: ${name}`);
  const r = spawnSync(process.execPath, [path.join(import.meta.dirname, `${name}.js`)], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench ${name} failed (exit ${r.status ?? r.signal})`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
