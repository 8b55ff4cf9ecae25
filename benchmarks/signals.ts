/**
 * Signals on this machine's Redis, through the real stores and evaluation:
 *
 * - spikes: a generated year of hourly mention counts for 12 watches (quiet to busy, with a daily
 *   and weekly rhythm, Poisson noise) with injected spikes of 1 to 4 hours, each hour counted,
 *   closed and judged as the service does; precision and recall of spike starts (a start counts as
 *   found when it falls within an injected spike), beside a plain peak detector in the same run
 *   (an hour at 3× the mean of the 24 before and at least the minimum count); and the Redis memory
 *   a watch's counts take (MEMORY USAGE of its ring), with what a year of buckets at the same 4
 *   bytes an hour would take;
 * - pickup: the time from the start of the items job that brings a story to its fifth outlet until
 *   its `story.pickup` job is in the deliver queue, over 300 stories (in-process match phase).
 */
import type { Redis } from 'ioredis';
import { parseConfig } from '../src/config/load.js';
import { handleItems } from '../src/pipeline/handle-item.js';
import { HOUR_MS, HOURS_PER_WEEK } from '../src/signals/spike.js';
import { evaluateHour } from '../src/signals/spikes.js';
import { createSignalStore, RING_SLOTS } from '../src/signals/store.js';
import { pipelineDeps } from '../test/helpers/pipeline-deps.js';
import { startRedis } from '../test/helpers/redis-server.js';
import { prng } from './lib/prng.js';

const HOURS = 365 * 24;
/** The first weeks build the baseline: spikes are injected after them. */
const WARMUP_HOURS = 4 * HOURS_PER_WEEK;
const BASE_RATES = [0.2, 0.5, 1, 2, 3, 5, 8, 12, 20, 30, 50, 80];
const SPIKES_PER_WATCH = 20;
const MIN_COUNT = 5;
const STORIES = 300;
const SYLLABLES = 'ka ri to mel an sor vin da lu pe gra tis on bel mar ko fen sa ul dor ne ti'.split(' ');
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Spike {
  start: number;
  hours: number;
}

function poisson(rand: () => number, lambda: number): number {
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rand)));
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = rand(); p > limit; p *= rand()) k++;
  return k;
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** The usual rate of an hour: quiet at night, busier on weekdays. */
function rateAt(base: number, hour: number): number {
  const hourOfDay = hour % 24;
  const day = Math.floor(hour / 24) % 7;
  const daily = hourOfDay < 6 ? 0.2 : hourOfDay < 9 ? 0.8 : hourOfDay < 19 ? 1.4 : 0.7;
  return base * daily * (day >= 5 ? 0.6 : 1.1);
}

/**
 * A year of counts for one watch and its injected spikes, none closer than two days apart. A spike
 * adds 2× to 5× the usual rate plus eight times its noise and the minimum count.
 */
function generate(rand: () => number, base: number): { counts: number[]; spikes: Spike[] } {
  const counts = Array.from({ length: HOURS }, (_, h) => poisson(rand, rateAt(base, h)));
  const spikes: Spike[] = [];
  while (spikes.length < SPIKES_PER_WATCH) {
    const start = WARMUP_HOURS + Math.floor(rand() * (HOURS - WARMUP_HOURS - 8));
    if (spikes.some((s) => Math.abs(s.start - start) < 48)) continue;
    const spike = { start, hours: 1 + Math.floor(rand() * 4) };
    spikes.push(spike);
    for (let h = start; h < start + spike.hours; h++) {
      const rate = rateAt(base, h);
      counts[h] += Math.round(rate * (2 + 3 * rand()) + 8 * Math.sqrt(rate + 1) + MIN_COUNT);
    }
  }
  return { counts, spikes: spikes.sort((a, b) => a.start - b.start) };
}

function score(starts: number[], spikes: Spike[]): { precision: number; recall: number } {
  const inSpike = (h: number) => spikes.some((s) => h >= s.start && h < s.start + s.hours);
  const truePositives = starts.filter(inSpike).length;
  const found = spikes.filter((s) => starts.some((h) => h >= s.start && h < s.start + s.hours)).length;
  return {
    precision: starts.length === 0 ? 1 : truePositives / starts.length,
    recall: found / spikes.length,
  };
}

/** The plain peak detector: 3× the mean of the last 24 hours, at least the minimum count; starts only. */
function peakStarts(counts: number[]): number[] {
  const starts: number[] = [];
  let on = false;
  for (let h = 24; h < counts.length; h++) {
    const mean = counts.slice(h - 24, h).reduce((a, b) => a + b, 0) / 24;
    const peak = counts[h] >= MIN_COUNT && counts[h] >= 3 * mean;
    if (peak && !on) starts.push(h);
    on = peak;
  }
  return starts;
}

function configYaml(watches: string[]): string {
  return `
watches:
${watches.map((w) => `  - id: ${w}\n    terms: ["${w}"]`).join('\n')}
webhooks:
  - id: desk
    url: https://hooks.example.org/desk
    secret: ${SECRET}
    signals:
      - {type: spike, sensitivity: 4, minCount: ${MIN_COUNT}}
      - {type: pickup, outlets: 5, within: 1h}
logAlerts: false
`;
}

async function spikeYear(redis: Redis) {
  const watches = BASE_RATES.map((_, i) => `w${i}`);
  const { config } = parseConfig(configYaml(watches), 'bench.yaml', {});
  const store = createSignalStore(redis, { prefix: 'bench', storyRetentionMs: 6 * 24 * HOUR_MS });
  const rand = prng(20_260_301);
  const years = BASE_RATES.map((base) => generate(rand, base));
  const first = Math.floor(Date.UTC(2025, 0, 6) / HOUR_MS);
  const starts = watches.map(() => [] as number[]);
  const began = performance.now();
  for (let h = 0; h < HOURS; h++) {
    const hour = first + h;
    await store.count(
      watches.flatMap((watch, w) =>
        years[w].counts[h] > 0 ? [{ watch, hour, job: `h${h}`, mentions: years[w].counts[h] }] : [],
      ),
    );
    const events = await evaluateHour(hour, config, store, (hour + 1) * HOUR_MS);
    for (const e of events)
      if (e.payload.type === 'mention.spike' && e.payload.data.phase === 'start') {
        starts[watches.indexOf(e.payload.data.watch.id)].push(h);
      }
  }
  const seconds = (performance.now() - began) / 1000;
  const total = (detect: (w: number) => number[]) => {
    let tp = 0,
      detected = 0,
      found = 0,
      spikes = 0;
    years.forEach((y, w) => {
      const s = detect(w);
      const sc = score(s, y.spikes);
      tp += sc.precision * s.length;
      detected += s.length;
      found += sc.recall * y.spikes.length;
      spikes += y.spikes.length;
    });
    return { precision: detected === 0 ? 1 : tp / detected, recall: found / spikes, detected, spikes };
  };
  const mine = total((w) => starts[w]);
  const peak = total((w) => peakStarts(years[w].counts));
  const ringBytes = (await redis.memory(
    'USAGE',
    `bench:mentions:{bench:watch:${watches[0]}}:ring`,
  )) as number;
  const stateBytes = (await redis.memory('USAGE', `bench:spike:{bench:watch:${watches[0]}}`)) as number;
  return { mine, peak, ringBytes, stateBytes, seconds, watches: watches.length };
}

async function pickupLatency(redis: Redis) {
  const deps = pipelineDeps(
    redis,
    `
feeds:
${[0, 1, 2, 3, 4].map((i) => `  - id: f${i}\n    url: https://outlet${i}.example/rss`).join('\n')}
${configYaml(['macron'])}`,
  );
  const ms: number[] = [];
  const rand = prng(18);
  const word = () =>
    Array.from({ length: 3 }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join('');
  try {
    for (let s = 0; s < STORIES; s++) {
      const text = `Macron ${Array.from({ length: 30 }, word).join(' ')}.`;
      const item = (i: number) => ({
        key: `s${s}:${i}`,
        title: `Macron statement ${s}`,
        summary: text,
        content: `${text} Story ${s}.`,
      });
      for (let i = 0; i < 5; i++) {
        const job = {
          feedId: `f${i}`,
          feedUrl: `https://outlet${i}.example/rss`,
          fetchedAt: Date.now(),
          items: [{ item: item(i), sighting: 'new' as const }],
        };
        const t = performance.now();
        await handleItems(job, deps);
        if (i === 4) ms.push(performance.now() - t);
      }
    }
    const jobs = await deps.queues.deliver.getJobs(['waiting']);
    const pickups = jobs.filter((j) => j.data.kind === 'signal').length;
    if (pickups !== STORIES) throw new Error(`expected ${STORIES} pickup signals, found ${pickups}`);
  } finally {
    await deps.close();
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)], p99: ms[Math.floor(ms.length * 0.99)] };
}

const server = await startRedis();
const redis = server.client();
try {
  const year = await spikeYear(redis);
  await redis.flushall();
  const pickup = await pickupLatency(redis);
  const r = (x: number, d = 3) => Number(x.toFixed(d));
  const yearBytes = HOURS * 4;
  console.log(
    `spike year               ${year.watches} watches × ${HOURS} hours, ${year.mine.spikes} injected spikes, in ${year.seconds.toFixed(0)} s`,
  );
  console.log(
    `spike starts             precision ${year.mine.precision.toFixed(3)}, recall ${year.mine.recall.toFixed(3)} (${year.mine.detected} starts) (goal ≥ 0.9 both)`,
  );
  console.log(
    `  baseline: peak detector precision ${year.peak.precision.toFixed(3)}, recall ${year.peak.recall.toFixed(3)} (${year.peak.detected} starts)`,
  );
  console.log(
    `memory per watch         ring ${year.ringBytes} bytes (${RING_SLOTS} hours, MEMORY USAGE), spike state ${year.stateBytes} bytes; a year of buckets at 4 bytes an hour: ${yearBytes} bytes`,
  );
  console.log(
    `pickup signal queued     p50 ${pickup.p50.toFixed(2)} ms, p99 ${pickup.p99.toFixed(2)} ms after the fifth outlet's items job starts (goal < 1000 ms)`,
  );
  console.log(
    JSON.stringify({
      bench: 'signals',
      watches: year.watches,
      spikes: year.mine.spikes,
      precision: r(year.mine.precision),
      recall: r(year.mine.recall),
      baselinePrecision: r(year.peak.precision),
      baselineRecall: r(year.peak.recall),
      ringBytesPerWatch: year.ringBytes,
      yearBytesPerWatch: yearBytes,
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'signals-pickup',
      stories: STORIES,
      p50Ms: r(pickup.p50, 2),
      p99Ms: r(pickup.p99, 2),
    }),
  );
} finally {
  await server.stop();
}
