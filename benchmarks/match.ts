/**
 * Matcher throughput against a generated English news-like corpus (≥ 20 MB, seeded, so every run
 * sees the same text) for 10, 1,000, 10,000 and 100,000 watches, next to two baselines: one
 * alternation RegExp over the folded text, and one case-insensitive RegExp per term. Both slow
 * down with the watch count, so each gets a time box and reports MB/s over the prefix of the
 * corpus it got through; the alternation runs in a child process that is given up on when V8 has
 * not even compiled it in time (at 100,000 watches it takes minutes).
 *
 * The alternation is a plain list of literals, /\b(?:term1|term2|…)\b/g, because V8 compiles
 * that into a fast matcher; one `\s+` between the words of a phrase is enough to lose it (about a
 * hundred times slower at 1,000 watches, ten thousand times at 10,000), which would make the
 * baseline a straw man. The price is that it misses phrases broken by a line end or a double
 * space, which the engine finds.
 *
 * Then the same corpus against 10,000 `names` watches and 10,000 `inflect` watches, and the cost
 * of language detection per item.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import type { MatchInput, WatchSpec } from '../src/contracts/match.js';
import { detectLanguage } from '../src/language/detect.js';
import { buildAutomaton } from '../src/match/automaton.js';
import { compileWatches } from '../src/match/compile.js';
import { foldPhrase, foldText } from '../src/match/fold.js';
import { parseQuery, presearchTerms } from '../src/match/query.js';
import { prng } from './lib/prng.js';

const CORPUS_BYTES = 21 * 1024 * 1024;
const WATCH_COUNTS = [10, 1_000, 10_000, 100_000];
/** The baselines slow down with the watch count; they get this long, over a prefix of the corpus. */
const BASELINE_MS = 4_000;
/** Wall-clock time the alternation baseline gets for compiling and reading, before it is given up. */
const ALTERNATION_LIMIT_MS = 60_000;

const COMMON = (
  'the of and to in a is that for on was with he it as at by from his said be has have had are were an ' +
  'which not but this they its after who their been more will would also new government year people ' +
  'minister president officials talks week two first state told country police last court could over ' +
  'percent city party since about than one other some when into during against under before most ' +
  'election economy market prices workers agreement military forces border security council report ' +
  'statement company shares investors budget energy climate health hospital school students vote ' +
  'parliament leaders summit negotiations ceasefire sanctions aid trade inflation rates bank central ' +
  'spokesman director local national international region capital protest rally campaign ministry ' +
  'analysts data growth decline record pressure crisis plan support response measures public private'
).split(' ');
/** Names of watched people come from one set of syllables, other proper nouns from another. */
const NAME_SYLLABLES =
  'ka ve rin dos tal mor ben lu sa tor vi na gel ham pri os dre lin cor mat fel zen ro bar qui ste wal ner gu ia'.split(
    ' ',
  );
const OTHER_SYLLABLES = 'ap ex im od ub yl ek af ust orp enk ild ux ew oop yth ach'.split(' ');

function pseudoWord(rand: () => number, syllables: number, from = NAME_SYLLABLES): string {
  let w = '';
  for (let i = 0; i < syllables; i++) w += from[Math.floor(rand() * from.length)];
  return w;
}

const capital = (w: string) => w[0].toUpperCase() + w.slice(1);

/**
 * Watch names are pseudo-words unlikely to collide with the common vocabulary. Every watch has a
 * last name of its own; a wildcard stem (the last name less its last two letters) may also begin
 * other watches' names, as "Kovalenk*" would.
 */
export function makeWatches(count: number, rand: () => number): { specs: WatchSpec[]; mentions: string[] } {
  const specs: WatchSpec[] = [];
  const mentions: string[] = [];
  const taken = new Set<string>();
  for (let i = 0; i < count; i++) {
    const first = capital(pseudoWord(rand, 2));
    let last: string;
    do last = capital(pseudoWord(rand, 3 + Math.floor(rand() * 2)));
    while (taken.has(last));
    taken.add(last);
    const stem = last.slice(0, Math.max(6, last.length - 2)).toLowerCase();
    const id = `w${i}`;
    const kind = rand();
    if (kind < 0.6) {
      specs.push({ id, label: `${first} ${last}`, terms: [`${first} ${last}`, last] });
      mentions.push(`${first} ${last}`, last);
    } else if (kind < 0.85) {
      const topic = `${pseudoWord(rand, 2)} ${COMMON[Math.floor(rand() * COMMON.length)]}`;
      specs.push({ id, label: topic, terms: [topic], exclude: [`${topic} ${pseudoWord(rand, 2)}`] });
      mentions.push(topic);
    } else {
      const near = COMMON[Math.floor(rand() * COMMON.length)];
      specs.push({
        id,
        label: last,
        query: `(${last} NEAR/5 ${near}) OR "${first} ${last}" OR ${stem}* -${pseudoWord(rand, 2)}`,
      });
      mentions.push(`${last} ${near}`, `${first} ${last}`);
    }
  }
  return { specs, mentions };
}

export function makeCorpus(mentions: string[], rand: () => number): MatchInput[] {
  const items: MatchInput[] = [];
  let total = 0;
  const sentence = (minWords: number, maxWords: number) => {
    const n = minWords + Math.floor(rand() * (maxWords - minWords));
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = rand();
      if (r < 0.01) words.push(mentions[Math.floor(rand() * mentions.length)]);
      else if (r < 0.08) words.push(capital(pseudoWord(rand, 2 + Math.floor(rand() * 2), OTHER_SYLLABLES)));
      else words.push(COMMON[Math.floor(rand() * COMMON.length)]);
    }
    return capital(words.join(' '));
  };
  while (total < CORPUS_BYTES) {
    const title = sentence(6, 12);
    const summary = sentence(15, 30) + '.';
    const paragraphs: string[] = [];
    const pn = 3 + Math.floor(rand() * 6);
    for (let p = 0; p < pn; p++) {
      const sn = 2 + Math.floor(rand() * 5);
      const ss: string[] = [];
      for (let s = 0; s < sn; s++) ss.push(sentence(8, 28) + (rand() < 0.1 ? '?' : '.'));
      paragraphs.push(ss.join(' '));
    }
    const content = paragraphs.join('\n\n');
    total += title.length + summary.length + content.length;
    items.push({ title, summary, content, feedId: `feed-${items.length % 40}` });
  }
  return items;
}

/**
 * Milliseconds of this process's CPU time: the cores are shared with other work, and wall-clock
 * figures would measure the neighbours as much as the matcher.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function measure(fn: () => void): number {
  const t0 = cpuMs();
  fn();
  return cpuMs() - t0;
}

/** Runs `fn` over texts until the corpus or the time box ends; MB/s over what it got through. */
function timeBoxed(texts: string[], fn: (t: string) => void): { mbps: number; mb: number } {
  const t0 = cpuMs();
  let bytes = 0;
  for (const t of texts) {
    fn(t);
    bytes += Buffer.byteLength(t);
    if (cpuMs() - t0 > BASELINE_MS) break;
  }
  const mb = bytes / 1e6;
  return { mbps: mb / ((cpuMs() - t0) / 1000), mb };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface AlternationResult {
  mbps: number;
  mb: number;
  compileMs: number;
}

/**
 * The alternation baseline, in a child process given ALTERNATION_LIMIT_MS: V8 cannot be
 * interrupted while it compiles a RegExp, and one of 100,000 alternatives takes minutes.
 * Null when the child did not finish in time.
 */
function alternationBaseline(patterns: string[], folded: string[]): AlternationResult | null {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ALTERNATION_CHILD], {
    input: JSON.stringify({ patterns, folded }),
    timeout: ALTERNATION_LIMIT_MS,
    maxBuffer: 1024 * 1024,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (child.error !== undefined && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return null;
  if (child.status !== 0)
    throw new Error(`alternation baseline failed (exit ${child.status ?? child.signal})`);
  return JSON.parse(child.stdout.toString()) as AlternationResult;
}

const ALTERNATION_CHILD = '--alternation-baseline';

/** The child's side: patterns and folded texts on stdin, its AlternationResult on stdout. */
async function runAlternation(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { patterns, folded } = JSON.parse(Buffer.concat(chunks).toString()) as {
    patterns: string[];
    folded: string[];
  };
  const alternation = new RegExp(`\\b(?:${patterns.map(escape).join('|')})\\b`, 'g');
  // RegExps compile on first use; that is not what the throughput should measure.
  const compileMs = measure(() => alternation.exec('warm up'));
  let hits = 0;
  const { mbps, mb } = timeBoxed(folded, (t) => {
    alternation.lastIndex = 0;
    while (alternation.exec(t) !== null) hits++;
  });
  if (hits === 0 && mb > 1) throw new Error('the alternation found nothing');
  process.stdout.write(JSON.stringify({ mbps, mb, compileMs }));
}

/**
 * A full collection whose freed memory shows in process.memoryUsage(): typed arrays' memory is
 * released by a sweeper after the collection, so it gets a moment and a second collection.
 */
function collectGarbage(): () => Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return async () => {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
    gc();
  };
}

interface Row {
  watches: number;
  patterns: number;
  mbps: number;
  scanMbps: number;
  /** Null when the alternation did not compile and run within ALTERNATION_LIMIT_MS. */
  alternationMbps: number | null;
  alternationSliceMb: number | null;
  alternationCompileMs: number | null;
  naiveMbps: number;
  naiveSliceMb: number;
  normalizeMbps: number;
  compileMs: number;
  heapMb: number;
  /** Watches matched by an average item: a news item names a handful of the watched, not dozens. */
  matchesPerItem: number;
}

/**
 * `--rows 100000,names` runs only those rows (watch counts, `names`, `inflect`, `detect`), for
 * working on one of them; all rows by default.
 */
function wantedRows(): (row: string) => boolean {
  const flag = process.argv.indexOf('--rows');
  if (flag < 0) return () => true;
  const rows = (process.argv[flag + 1] ?? '').split(',').filter((r) => r !== '');
  const known = [...WATCH_COUNTS.map(String), 'names', 'inflect', 'detect'];
  const unknown = rows.filter((r) => !known.includes(r));
  if (rows.length === 0 || unknown.length > 0)
    throw new Error(
      `--rows takes a comma-separated list of ${known.join(', ')}; got "${process.argv[flag + 1] ?? ''}"`,
    );
  return (row) => rows.includes(row);
}

export async function run(): Promise<void> {
  const wanted = wantedRows();
  const gc = collectGarbage();
  const rand = prng(20240601);
  const largest = makeWatches(Math.max(...WATCH_COUNTS), rand);
  const items = makeCorpus(largest.mentions, prng(7));
  const texts = items.flatMap((i) => [i.title, i.summary, i.content]);
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  texts.slice(0, 1500).forEach((t) => foldText(t));
  const normalizeMs = measure(() => texts.forEach((t) => foldText(t)));
  const folded = texts.map((t) => foldText(t).text);

  // Every engine figure is taken before any baseline runs: thousands of compiled RegExps left
  // behind by one would slow whatever is measured after them.
  const engines = [];
  for (const count of WATCH_COUNTS.filter((c) => wanted(String(c)))) {
    engines.push(await engineRow(largest.specs.slice(0, count), items, folded, gc));
    console.error(`match bench: ${count} watches, engine done`);
  }
  const kinds = await kindRows(largest.specs.slice(0, 10_000), items, mb, gc, wanted);

  const rows: Row[] = engines.map((e) => {
    const alt = alternationBaseline(e.patterns, folded);
    const naive = e.terms.map((t) => new RegExp(`\\b${escape(t).replace(/ /g, '\\s+')}\\b`, 'i'));
    let _naiveHits = 0;
    naive.forEach((r) => r.test('warm up'));
    const slow = timeBoxed(texts, (t) => {
      for (const r of naive) if (r.test(t)) _naiveHits++;
    });
    console.error(`match bench: ${e.watches} watches, baselines done`);
    return {
      watches: e.watches,
      patterns: e.patterns.length,
      mbps: round(mb / (e.matchMs / 1000)),
      scanMbps: round(mb / (e.scanMs / 1000)),
      alternationMbps: alt === null ? null : round(alt.mbps),
      alternationSliceMb: alt === null ? null : round(alt.mb),
      alternationCompileMs: alt === null ? null : round(alt.compileMs),
      naiveMbps: round(slow.mbps),
      naiveSliceMb: round(slow.mb),
      normalizeMbps: round(mb / (normalizeMs / 1000)),
      compileMs: round(e.compileMs),
      heapMb: round(e.heapMb),
      matchesPerItem: round(e.matched / items.length),
    };
  });

  if (rows.length > 0) printRows(rows, mb, items.length);
  if (kinds.length > 0) printKindRows(kinds, mb);
  if (wanted('detect')) detectionRow(items);
}

/** The engine's figures at one watch count; the presearch terms and patterns for the baselines. */
async function engineRow(specs: WatchSpec[], items: MatchInput[], folded: string[], gc: () => Promise<void>) {
  await gc();
  const heapBefore = process.memoryUsage();
  let matcher = compileWatches(specs);
  const compileMs = measure(() => (matcher = compileWatches(specs)));
  await gc();
  const heapAfter = process.memoryUsage();
  const heapMb =
    (heapAfter.heapUsed - heapBefore.heapUsed + heapAfter.arrayBuffers - heapBefore.arrayBuffers) / 1e6;

  let matched = 0;
  items.slice(0, 500).forEach((item) => matcher.match(item));
  const matchMs = measure(() => items.forEach((item) => (matched += matcher.match(item).length)));
  if (matched === 0) throw new Error(`the corpus mentions none of the ${specs.length} watches`);

  // The automaton the engine builds: each watch's presearch terms.
  const terms = [
    ...new Set(
      specs.flatMap((s) =>
        presearchTerms(parseQuery(s.id, s.query ?? s.terms!.map((t) => `"${t}"`).join(' OR ')))!.map((t) =>
          t.text.replace(/\*$/, ''),
        ),
      ),
    ),
  ];
  const patterns = [...new Set(terms.map(foldPhrase))];
  const automaton = buildAutomaton(patterns);
  const into: number[] = [];
  folded.slice(0, 1500).forEach((t) => automaton.scan(t, into));
  const scanMs = measure(() => folded.forEach((t) => automaton.scan(t, into)));
  return { watches: specs.length, compileMs, heapMb, matchMs, matched, scanMs, terms, patterns };
}

function printRows(rows: Row[], mb: number, itemCount: number): void {
  console.log(
    `match: ${mb.toFixed(1)} MB corpus, ${itemCount} items; MB/s of CPU time (normalization included unless noted)`,
  );
  console.log(
    `baselines are time-boxed to ${BASELINE_MS / 1000} s of CPU over a prefix of the corpus (MB read in parentheses); ` +
      `the alternation is given up when it has not compiled and run within ${ALTERNATION_LIMIT_MS / 1000} s`,
  );
  console.log(
    'watches  patterns  engine  scan   alternation(MB read; compile ms)   per-term RegExps(MB read)  normalize  compile ms  heap MB  matches/item',
  );
  for (const r of rows) {
    const alternation =
      r.alternationMbps === null
        ? `gave up after ${ALTERNATION_LIMIT_MS / 1000} s`
        : `${r.alternationMbps} (${r.alternationSliceMb}; ${r.alternationCompileMs})`;
    console.log(
      [
        String(r.watches).padStart(7),
        String(r.patterns).padStart(9),
        String(r.mbps).padStart(7),
        String(r.scanMbps).padStart(5),
        alternation.padStart(34),
        `${r.naiveMbps} (${r.naiveSliceMb})`.padStart(26),
        String(r.normalizeMbps).padStart(10),
        String(r.compileMs).padStart(11),
        String(r.heapMb).padStart(8),
        String(r.matchesPerItem).padStart(13),
      ].join(' '),
    );
  }
  for (const r of rows) {
    console.log(
      JSON.stringify({
        bench: 'match',
        ...r,
        corpusMb: round(mb),
        baselineCpuMs: BASELINE_MS,
        alternationLimitMs: ALTERNATION_LIMIT_MS,
      }),
    );
  }
}

/**
 * The same corpus against 10,000 watches that are all `names` watches (each name expands to its
 * spellings in other scripts and romanizations, all in the one presearcher), then all `inflect`
 * watches; and the cost of detecting the language of an item, as normalization does for items
 * of feeds that declare none.
 */
async function kindRows(
  specs: WatchSpec[],
  items: MatchInput[],
  mb: number,
  gc: () => Promise<void>,
  wanted: (row: string) => boolean,
): Promise<KindRow[]> {
  const asNames = specs.map((s): WatchSpec => {
    const named = s.terms?.filter((t) => /^\p{Lu}/u.test(t)) ?? [];
    return { id: s.id, label: s.label, names: named.length > 0 ? named : [capital(s.label.split(' ')[0])] };
  });
  // Pseudo-words are of no language: the watches name theirs, as a watch may (inflect: en).
  const asInflected = specs.map((s): WatchSpec => ({ ...s, inflect: 'en' }));
  const rows: KindRow[] = [];
  for (const [kind, watches] of [
    ['names', asNames],
    ['inflect', asInflected],
  ] as const) {
    if (!wanted(kind)) continue;
    await gc();
    const heapBefore = process.memoryUsage();
    let matcher = compileWatches(watches);
    const compileMs = measure(() => (matcher = compileWatches(watches)));
    await gc();
    const heapAfter = process.memoryUsage();
    let matched = 0;
    items.slice(0, 500).forEach((item) => matcher.match(item));
    const matchMs = measure(() => items.forEach((item) => (matched += matcher.match(item).length)));
    if (matched === 0) throw new Error(`the corpus mentions none of the ${kind} watches`);
    console.error(`match bench: ${kind} watches done`);
    rows.push({
      watchKind: kind,
      watches: watches.length,
      mbps: round(mb / (matchMs / 1000)),
      compileMs: round(compileMs),
      heapMb: round(
        (heapAfter.heapUsed - heapBefore.heapUsed + heapAfter.arrayBuffers - heapBefore.arrayBuffers) / 1e6,
      ),
      matchesPerItem: round(matched / items.length),
    });
  }
  return rows;
}

interface KindRow {
  watchKind: string;
  watches: number;
  mbps: number;
  compileMs: number;
  heapMb: number;
  matchesPerItem: number;
}

function printKindRows(rows: KindRow[], mb: number): void {
  console.log('watch kind  watches  engine MB/s  compile ms  heap MB  matches/item');
  for (const r of rows) {
    console.log(
      [
        r.watchKind.padEnd(10),
        String(r.watches).padStart(8),
        String(r.mbps).padStart(12),
        String(r.compileMs).padStart(11),
        String(r.heapMb).padStart(8),
        String(r.matchesPerItem).padStart(13),
      ].join(' '),
    );
  }
  for (const r of rows) console.log(JSON.stringify({ bench: 'match', ...r, corpusMb: round(mb) }));
}

/** The cost of detecting the language of an item, and of its title alone. */
function detectionRow(items: MatchInput[]): void {
  const sample = items.slice(0, 5_000);
  const whole = sample.map((i) => `${i.title}\n${i.summary}\n${i.content}`);
  whole.slice(0, 200).forEach((t) => detectLanguage(t));
  const detectItemUs = round((measure(() => whole.forEach((t) => detectLanguage(t))) * 1000) / whole.length);
  const detectTitleUs = round(
    (measure(() => sample.forEach((i) => detectLanguage(i.title))) * 1000) / sample.length,
  );
  console.log(
    `language detection: ${detectItemUs} µs per item (title + summary + content), ${detectTitleUs} µs per title`,
  );
  console.log(
    JSON.stringify({
      bench: 'match',
      measure: 'language-detection',
      usPerItem: detectItemUs,
      usPerTitle: detectTitleUs,
    }),
  );
}

/** One decimal, but three significant digits for the tiny baseline figures. */
function round(x: number): number {
  return x >= 10 ? Math.round(x * 10) / 10 : Number(x.toPrecision(3));
}

if (import.meta.url === `file://${process.argv[1]}`)
  await (process.argv[2] === ALTERNATION_CHILD ? runAlternation() : run());
