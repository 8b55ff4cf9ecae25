/**
 * Dedupe memory and lookup cost at scale, plus same-story quality on the labeled pairs, decided by
 * the story store itself on the benchmark's Redis.
 *
 * Traffic model: a month of items (1,000,000 by default; STORIES_BENCH_ITEMS=50000 or --items=50000
 * for a quick check) from 500 feeds, evenly spread over 30 days, each one a distinct story — the
 * worst case for the fingerprint index. Stores use the shipped retention: seen items 30 days, story
 * window 72 hours. Expiry follows the replayed clock, so Redis ends up holding what it would hold
 * after a real month.
 *
 * The replay is compressed in time: only items from the last two windows go through seen check and
 * story assign, since the story index entries and records of older ones would have been swept or
 * expired before the month ends (the first of the two windows brings the index hashes to the mix of
 * live and not yet swept entries they hold in steady state). Older items are bulk-loaded into the seen store as the first sightings they
 * are, through the store's own key layout (seenLocator), with pipelined writes. Memory per item is the used_memory delta
 * divided by all items; story records (the outlet lists behind `stories show`) are reported apart.
 * Latency is sampled afterwards, one seen check and one story assign per new item, interleaved so
 * noise from other processes hits both alike.
 */
import type { Redis } from 'ioredis';
import { startRedis } from '../test/helpers/redis-server.js';
import { createSeenStore, seenLocator } from '../src/dedupe/seen-store.js';
import { createStoryStore } from '../src/dedupe/story-store.js';
import { BANDS } from '../src/dedupe/fingerprint.js';
import { prng } from './lib/prng.js';
import { percentile } from './lib/stats.js';
import { loadStoryPairs, scoreStoryPairs, type StoryPair } from '../test/helpers/story-pairs.js';

const DAY = 86_400_000;
const RETENTION = 30 * DAY;
const WINDOW = 3 * DAY;
const IN_FLIGHT = 128;
const BULK = 5_000;
const SAMPLES = 2_000;

function itemCount(): number {
  const flag = process.argv.find((a) => a.startsWith('--items='));
  const n = Number(flag ? flag.slice('--items='.length) : (process.env.STORIES_BENCH_ITEMS ?? 1_000_000));
  if (!Number.isInteger(n) || n <= 0) throw new Error('items must be a positive integer');
  return n;
}

const SYLLABLES = 'ka ri to mel an sor vin da lu pe gra tis on bel mar ko fen sa ul dor ne ti'.split(' ');

/** Made-up words with a skewed frequency, so fingerprints see common and rare words as in news. */
function makeText(rand: () => number, vocab: string[], words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(vocab[Math.floor(vocab.length * rand() ** 2)]);
  return out.join(' ');
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

async function keyBytes(redis: Redis, pattern: string): Promise<number> {
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

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

interface Quality {
  pairs: number;
  precision: number;
  recall: number;
}

/** Same-story quality of the shipped decision: the story store on this Redis, pair by pair. */
async function quality(redis: Redis, pairs: StoryPair[], prefix: string): Promise<Quality> {
  const { precision, recall } = await scoreStoryPairs(redis, pairs, prefix);
  return { pairs: pairs.length, precision, recall };
}

export async function run(): Promise<void> {
  const items = itemCount();
  const began = performance.now();
  const server = await startRedis();
  try {
    const redis = server.client();
    // Shards sized as the store options advise: about 100 entries per hash at this volume (seen
    // items over the retention, story index entries over the window).
    const perDay = items / 30;
    const seenOptions = {
      prefix: 'bench',
      retentionMs: RETENTION,
      buckets: 30,
      shards: Math.ceil(items / (100 * 32)),
      hashesPerShard: 32,
    };
    const seen = createSeenStore(redis, seenOptions);
    const stories = createStoryStore(redis, {
      prefix: 'bench',
      windowMs: WINDOW,
      shards: Math.min(65_536, Math.ceil((perDay * (WINDOW / DAY) * (BANDS + 1)) / 100)),
    });
    const rand = prng(42);
    const vocab = Array.from({ length: 20_000 }, () =>
      Array.from(
        { length: 2 + Math.floor(rand() * 3) },
        () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)],
      ).join(''),
    );
    const end = Date.now();
    const start = end - RETENTION;
    const storiesFrom = end - 2 * WINDOW;
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
    const timeOf = (i: number) => Math.floor(start + ((end - start) * i) / items);
    // Older items: every one is a first sighting, so check would only write its entry; the bulk
    // load writes the same entries through the store's own layout, pipelined.
    const locate = seenLocator(seenOptions);
    let first = 0;
    while (first < items && timeOf(first) < storiesFrom) {
      const p = redis.pipeline();
      for (const last = Math.min(items, first + BULK); first < last && timeOf(first) < storiesFrom; first++) {
        const at = locate(`feed-${first % 500}`, `g:${first}`, `c${first}`, timeOf(first));
        p.hset(at.key, at.field, at.value).pexpireat(at.key, at.expireAt);
      }
      await p.exec();
    }
    const bulkSeconds = (performance.now() - began) / 1000;
    let next = first;
    let assigned = 0;
    let falseJoins = 0;
    const worker = async () => {
      for (let i = next++; i < items; i = next++) {
        const at = timeOf(i);
        const it = item(i, at);
        await seen.check(it.feedId, it.itemKey, `c${i}`, at);
        const { isNew } = await stories.assign(it);
        assigned++;
        if (!isNew) falseJoins++;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const loadSeconds = (performance.now() - began) / 1000;
    const index = await keyBytes(redis, 'bench:story-index:*');
    const seenKeys = await keyBytes(redis, 'bench:seen:*');
    const after = await usedMemory(redis);
    // Records are measured by what dropping them frees, key overhead included.
    await deleteKeys(redis, 'bench:story:{bench:stories}:*');
    const records = after - (await usedMemory(redis));
    const bytesPerItem = (after - before - records) / items;

    const seenMs: number[] = [];
    const lookupMs: number[] = [];
    const joinMs: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const it = item(items + s, end + s);
      let t = performance.now();
      await seen.check(it.feedId, it.itemKey, `c${items + s}`, it.at);
      seenMs.push(performance.now() - t);
      t = performance.now();
      await stories.assign(it);
      lookupMs.push(performance.now() - t);
      if (s % 10 === 0) {
        // Another outlet's copy: a new link and headline over the same lead.
        const copy = {
          ...it,
          feedId: 'copies',
          itemKey: `c:${s}`,
          url: `https://copies.example/${s}`,
          title: makeText(rand, vocab, 9),
        };
        t = performance.now();
        const joined = await stories.assign(copy);
        joinMs.push(performance.now() - t);
        if (joined.isNew) throw new Error('a copy of a sampled story started a new story');
      }
    }
    const seenP99Ms = percentile(seenMs, 99);
    const lookupP99Ms = percentile(lookupMs, 99);
    const labeled = loadStoryPairs();
    const q = await quality(redis, labeled, 'quality');
    const qOutlets = await quality(
      redis,
      labeled.filter((p) => p.kind.startsWith('outlets:')),
      'quality-outlets',
    );
    const totalSeconds = (performance.now() - began) / 1000;

    const per = (bytes: number) => `${(bytes / items).toFixed(1)} bytes/item`;
    console.log(
      `traffic model            ${items.toLocaleString('en')} items over 30 days (${Math.round(perDay).toLocaleString('en')}/day) from 500 feeds, every item a new story`,
    );
    console.log('retention                seen 30 days; story window 72 h');
    console.log(
      `replayed                 ${first.toLocaleString('en')} older items bulk-loaded as first sightings in ${bulkSeconds.toFixed(0)} s; the last ${((end - storiesFrom) / 3_600_000).toFixed(0)} h (${assigned.toLocaleString('en')}) checked and assigned to stories; ${loadSeconds.toFixed(0)} s in all`,
    );
    console.log(
      `false joins              ${falseJoins} of ${assigned.toLocaleString('en')} distinct stories`,
    );
    console.log(
      `seen + story index       ${bytesPerItem.toFixed(1)} bytes/item (goal ≤ 100): seen keys ${per(seenKeys)}, story index ${per(index)} by MEMORY USAGE`,
    );
    console.log(`story records (show)     ${per(records)}`);
    console.log(`seen check p50/p99       ${percentile(seenMs, 50).toFixed(3)} / ${seenP99Ms.toFixed(3)} ms`);
    console.log(
      `story assign p50/p99     ${percentile(lookupMs, 50).toFixed(3)} / ${lookupP99Ms.toFixed(3)} ms (goal: < seen + 1 ms)`,
    );
    console.log(
      `copy joining p50/p99     ${percentile(joinMs, 50).toFixed(3)} / ${percentile(joinMs, 99).toFixed(3)} ms`,
    );
    const said = (x: Quality) =>
      `${x.pairs} pairs, precision ${x.precision.toFixed(3)}, recall ${x.recall.toFixed(3)}`;
    console.log(`same-story quality       ${said(q)} (story store on Redis)`);
    console.log(`  outlets' own versions  ${said(qOutlets)}`);
    console.log(`bench run time           ${totalSeconds.toFixed(0)} s`);
    const r = (x: number, d = 3) => Number(x.toFixed(d));
    console.log(
      JSON.stringify({
        bench: 'stories',
        items,
        bytesPerItem: r(bytesPerItem, 1),
        lookupP99Ms: r(lookupP99Ms),
        seenP99Ms: r(seenP99Ms),
      }),
    );
    console.log(
      JSON.stringify({
        bench: 'stories-quality',
        pairs: q.pairs,
        precision: r(q.precision),
        recall: r(q.recall),
      }),
    );
    console.log(
      JSON.stringify({
        bench: 'stories-quality-outlets',
        pairs: qOutlets.pairs,
        precision: r(qOutlets.precision),
        recall: r(qOutlets.recall),
      }),
    );
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
