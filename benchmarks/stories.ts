/**
 * Dedupe memory and lookup cost at scale, plus same-story quality on the labeled pairs.
 *
 * A month of items (1,000,000 by default; STORIES_BENCH_ITEMS=50000 or --items=50000 for a quick
 * check) is replayed in time order into a private redis-server: every item is checked against the
 * seen store (30-day retention) and assigned to a story (72-hour window), each one a distinct story,
 * which is the worst case for the fingerprint index. Expiry follows the replayed clock, so Redis ends
 * up holding what it would hold after a real month. Memory per item is the used_memory delta divided
 * by the items; story records (the outlet lists behind `stories show`) are reported separately.
 */
import fs from 'node:fs';
import type { Redis } from 'ioredis';
import { startRedis } from '../test/helpers/redis-server.js';
import { createSeenStore } from '../src/dedupe/seen-store.js';
import { createStoryStore } from '../src/dedupe/story-store.js';
import { BANDS, fingerprint, sameStory } from '../src/dedupe/fingerprint.js';

const DAY = 86_400_000;
const RETENTION = 30 * DAY;
const WINDOW = 3 * DAY;
const IN_FLIGHT = 128;
const SAMPLES = 2_000;

function itemCount(): number {
  const flag = process.argv.find((a) => a.startsWith('--items='));
  const n = Number(flag ? flag.slice('--items='.length) : (process.env.STORIES_BENCH_ITEMS ?? 1_000_000));
  if (!Number.isInteger(n) || n <= 0) throw new Error('items must be a positive integer');
  return n;
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ka ri to mel an sor vin da lu pe gra tis on bel mar ko fen sa ul dor ne ti'.split(' ');

/** Made-up words with a skewed frequency, so fingerprints see common and rare words as in news. */
function makeText(rand: () => number, vocab: string[], words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(vocab[Math.floor(vocab.length * rand() ** 2)]);
  return out.join(' ');
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

async function recordBytes(redis: Redis, pattern: string): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length === 0) continue;
    const p = redis.pipeline();
    for (const k of keys) p.memory('USAGE', k, 'SAMPLES', 0);
    for (const [, v] of (await p.exec()) ?? []) total += Number(v ?? 0);
  } while (cursor !== '0');
  return total;
}

function quality(): { pairs: number; precision: number; recall: number } {
  const file = new URL('../../test/fixtures/stories/pairs.jsonl', import.meta.url);
  const pairs = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {
    label: string; a: { title: string; text: string }; b: { title: string; text: string };
  });
  let tp = 0, fp = 0, fn = 0;
  for (const p of pairs) {
    const said = sameStory(fingerprint(p.a.title, p.a.text), fingerprint(p.b.title, p.b.text));
    if (said && p.label === 'same') tp++;
    else if (said) fp++;
    else if (p.label === 'same') fn++;
  }
  return { pairs: pairs.length, precision: tp / (tp + fp), recall: tp / (tp + fn) };
}

export async function run(): Promise<void> {
  const items = itemCount();
  const server = await startRedis();
  try {
    const redis = server.client();
    // Shards sized as the store options advise: about 100 entries per hash at this volume.
    const perDay = items / 30;
    const seen = createSeenStore(redis, { prefix: 'bench', retentionMs: RETENTION, shards: Math.ceil(perDay / 100) });
    const stories = createStoryStore(redis, { prefix: 'bench', windowMs: WINDOW, shards: Math.min(65_536, Math.ceil((perDay * BANDS) / 100)) });
    const rand = prng(42);
    const vocab = Array.from({ length: 20_000 }, () =>
      Array.from({ length: 2 + Math.floor(rand() * 3) }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join(''));
    const end = Date.now();
    const start = end - RETENTION;
    const item = (i: number, at: number) => ({
      feedId: `feed-${i % 500}`,
      itemKey: `g:${i}`,
      url: `https://outlet${i % 500}.example/news/${i}`,
      title: makeText(rand, vocab, 9),
      text: makeText(rand, vocab, 70),
      at,
    });

    await redis.flushall();
    const before = await usedMemory(redis);
    const began = performance.now();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < items; i = next++) {
        const it = item(i, Math.floor(start + ((end - start) * i) / items));
        await seen.check(it.feedId, it.itemKey, `${it.title}\n${it.text}`, it.at);
        await stories.assign(it);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const insertSeconds = (performance.now() - began) / 1000;
    const records = await recordBytes(redis, 'bench:story:{*');
    const after = await usedMemory(redis);
    const bytesPerItem = (after - before - records) / items;
    const recordBytesPerItem = records / items;

    const seenMs: number[] = [];
    const lookupMs: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const it = item(items + s, end + s);
      let t = performance.now();
      await seen.check(it.feedId, it.itemKey, it.title, it.at);
      seenMs.push(performance.now() - t);
      t = performance.now();
      await stories.assign(it);
      lookupMs.push(performance.now() - t);
    }
    const seenP99Ms = percentile(seenMs, 99);
    const lookupP99Ms = percentile(lookupMs, 99);
    const q = quality();

    console.log(`items replayed           ${items.toLocaleString('en')} over 30 days in ${insertSeconds.toFixed(0)} s`);
    console.log(`seen + story index       ${bytesPerItem.toFixed(1)} bytes/item (goal ≤ 100)`);
    console.log(`story records (show)     ${recordBytesPerItem.toFixed(1)} bytes/item`);
    console.log(`seen check p50/p99       ${percentile(seenMs, 50).toFixed(3)} / ${seenP99Ms.toFixed(3)} ms`);
    console.log(`story assign p50/p99     ${percentile(lookupMs, 50).toFixed(3)} / ${lookupP99Ms.toFixed(3)} ms (goal: < seen + 1 ms)`);
    console.log(`same-story quality       ${q.pairs} pairs, precision ${q.precision.toFixed(3)}, recall ${q.recall.toFixed(3)}`);
    const r = (x: number, d = 3) => Number(x.toFixed(d));
    console.log(JSON.stringify({ bench: 'stories', items, bytesPerItem: r(bytesPerItem, 1), recordBytesPerItem: r(recordBytesPerItem, 1), lookupP99Ms: r(lookupP99Ms), seenP99Ms: r(seenP99Ms) }));
    console.log(JSON.stringify({ bench: 'stories-quality', pairs: q.pairs, precision: r(q.precision), recall: r(q.recall) }));
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
