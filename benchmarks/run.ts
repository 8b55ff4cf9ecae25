/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>` one of them. Each prints a
 * table for people and one JSON line per result for tools. Baselines are measured in the same
 * run, because these machines are noisy. Each benchmark runs in a process of its own, so one's
 * leftover heap or sockets cannot slow the next.
 *
 * The JSON lines of a run are also appended to `benchmarks/results/<name>.jsonl`, each with the
 * run's date, commit and machine, for `npm run bench:report` to turn into docs/benchmarks.md.
 * `--no-save` leaves the results files alone; other `--flags` are passed on to the benchmarks.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCHES } from './lib/names.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RESULTS_DIR = path.join(ROOT, 'benchmarks', 'results');

/** What a reader needs to weigh a run's figures: when, which code, on what. */
function runInfo(): Record<string, unknown> {
  const cpus = os.cpus();
  // "-dirty" when the worktree has uncommitted changes: the figures may not be the commit's.
  const git = spawnSync('git', ['describe', '--always', '--dirty', '--abbrev=7'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return {
    date: new Date().toISOString(),
    ...(git.status === 0 ? { commit: git.stdout.trim() } : {}),
    machine: {
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      memGb: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.version,
      loadAvg: os.loadavg().map((l) => Number(l.toFixed(2))),
    },
  };
}

/** The lines of `text` that are JSON objects with a `bench` field. */
function resultLines(text: string): Record<string, unknown>[] {
  const results: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{"bench"')) continue;
    try {
      results.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      console.error(`bench: not saved, not JSON: ${line}`);
    }
  }
  return results;
}

/** Runs one benchmark, its output shown as it comes; resolves to its exit code and its output. */
function runBench(name: string, flags: string[]): Promise<{ code: number | string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, `${name}.js`), ...flags], {
      stdio: ['inherit', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? signal ?? 'unknown', output }));
  });
}

function save(name: string, results: Record<string, unknown>[], info: Record<string, unknown>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.jsonl`);
  appendFileSync(file, results.map((r) => JSON.stringify({ ...r, ...info }) + '\n').join(''));
  console.log(`bench ${name}: ${results.length} result(s) appended to ${path.relative(ROOT, file)}`);
}

/** The soak runs for 20 minutes: only when asked for by name. */
const DEFAULT = BENCHES.filter((n) => n !== 'soak');

// Names, then options (`--minutes 5`) handed to each benchmark; `--no-save` is ours.
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('--'));
const wanted = args.slice(0, firstOption < 0 ? undefined : firstOption);
const noSave = args.includes('--no-save');
const flags = firstOption < 0 ? [] : args.slice(firstOption).filter((a) => a !== '--no-save');
const unknown = wanted.filter((n) => !(BENCHES as readonly string[]).includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : DEFAULT) {
  console.log(`\n=== bench: ${name}`);
  const info = runInfo();
  const { code, output } = await runBench(name, flags);
  if (code !== 0) {
    console.error(`bench ${name} failed (exit ${code}); its results are not saved`);
    failed++;
  } else if (!noSave) {
    save(name, resultLines(output), info);
  }
}
process.exit(failed > 0 ? 1 : 0);
