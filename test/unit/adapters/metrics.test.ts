import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createMetrics, OTHER } from '../../../src/adapters/metrics.js';

const pkg = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../package.json'), 'utf8'),
) as { version: string };

/** The series of one metric in the exposition text: its label sets and values. */
function series(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('metrics', () => {
  it('exports the default process and Node.js metrics under their standard names', async () => {
    const text = await createMetrics().registry.metrics();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_version_info',
    ]) {
      expect(text).toContain(`\n# TYPE ${name} `);
    }
    expect(text).not.toMatch(/mediawatch_process_/);
  });

  it('exports the heap a full collection leaves alive, once one has run', async () => {
    const metrics = createMetrics();
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [line] = series(await metrics.registry.metrics(), 'mediawatch_heap_after_full_gc_bytes');
    const bytes = Number(line.split(' ')[1]);
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(bytes).toBeLessThanOrEqual(v8.getHeapStatistics().total_heap_size);
  });

  it('exports mediawatch_build_info with the version and the Node.js version, always 1', async () => {
    const text = await createMetrics().registry.metrics();
    expect(series(text, 'mediawatch_build_info')).toEqual([
      `mediawatch_build_info{version="${pkg.version}",node="${process.versions.node}"} 1`,
    ]);
  });

  it('gives the first feeds, watches and webhooks their own series, and counts the rest under one', async () => {
    const metrics = createMetrics({ labelCap: 2 });
    for (const watch of ['a', 'b', 'c', 'd', 'a']) metrics.matched.inc({ watch });
    for (const feed of ['f1', 'f2', 'f3']) metrics.itemsFetched.inc({ feed }, 10);
    metrics.fetchErrors.inc({ feed: 'f3', code: 'timeout' });
    metrics.alertsFailed.inc({ webhook: 'h1', final: 'false' });
    const text = await metrics.registry.metrics();
    expect(series(text, 'mediawatch_items_matched_total')).toEqual([
      'mediawatch_items_matched_total{watch="a"} 2',
      'mediawatch_items_matched_total{watch="b"} 1',
      `mediawatch_items_matched_total{watch="${OTHER}"} 2`,
    ]);
    expect(series(text, 'mediawatch_items_fetched_total')).toContain(
      `mediawatch_items_fetched_total{feed="${OTHER}"} 10`,
    );
    // The feeds with a series of their own are the same in every per-feed metric.
    expect(series(text, 'mediawatch_fetch_errors_total')).toEqual([
      `mediawatch_fetch_errors_total{feed="${OTHER}",code="timeout"} 1`,
    ]);
    expect(series(text, 'mediawatch_alerts_failed_total')).toEqual([
      'mediawatch_alerts_failed_total{webhook="h1",final="false"} 1',
    ]);
  });

  it('leaves out the circuit state of webhooks past the cap, which no sum could stand for', async () => {
    const metrics = createMetrics({ labelCap: 1 });
    metrics.circuitOpen.set({ webhook: 'h1' }, 1);
    metrics.circuitOpen.set({ webhook: 'h2' }, 1);
    expect(series(await metrics.registry.metrics(), 'mediawatch_webhook_circuit_open')).toEqual([
      'mediawatch_webhook_circuit_open{webhook="h1"} 1',
    ]);
  });
});
