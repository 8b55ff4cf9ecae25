/**
 * Article extraction over the corpus of 60 real pages with human-marked bodies: quality (F1 of
 * 4-word shingles, on the half the rules were tuned on, the held-out half, and all) and speed,
 * beside Readability on jsdom (what most Node projects run) and Readability on linkedom, on the
 * same pages in the same run. Then one 5 MB page in a child process whose heap is capped, for
 * the memory a worker needs on a huge page.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { parseHTML } from 'linkedom';
import { extractArticle } from '../src/extract/index.js';
import { scoreCorpus, scorePage, type CorpusScore } from '../src/extract/score.js';

/** Each extractor runs over the corpus this many times (after one warm-up pass), at least. */
const MIN_ROUNDS = 3;
const MIN_CPU_MS = 5_000;
const HUGE_PAGE_BYTES = 5 * 1024 * 1024;
/** The heap cap of the child that extracts the huge page: it fails if extraction needs more. */
const HUGE_PAGE_HEAP_MB = 384;

interface Page {
  name: string;
  url: string;
  truth: string;
  body: Buffer;
}

function corpusDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'test', 'fixtures', 'articles');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('test/fixtures/articles not found');
}

function loadPages(): Page[] {
  const dir = corpusDir();
  const truth = JSON.parse(fs.readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Record<
    string,
    { url: string; articleBody: string }
  >;
  return Object.entries(truth).map(([name, t]) => ({
    name,
    url: t.url,
    truth: t.articleBody,
    body: zlib.gunzipSync(fs.readFileSync(path.join(dir, 'html', `${name}.html.gz`))),
  }));
}

/** The tuning half: pages whose file name hashes to an even first byte (the rest are held out). */
export function isTuningPage(name: string): boolean {
  return crypto.createHash('sha256').update(`${name}.html.gz`).digest()[0] % 2 === 0;
}

type Extractor = (page: Page) => string;

/** jsdom reports every stylesheet it cannot parse; the benchmark's output is for its results. */
const quietConsole = new VirtualConsole();

const EXTRACTORS: Record<string, Extractor> = {
  mediawatch: (p) => {
    const r = extractArticle(p.body, { url: p.url, contentType: 'text/html' });
    return r.ok ? r.value.text : '';
  },
  'readability+jsdom': (p) =>
    new Readability(
      new JSDOM(p.body.toString('utf8'), { url: p.url, virtualConsole: quietConsole }).window.document,
    ).parse()?.textContent ?? '',
  'readability+linkedom': (p) =>
    new Readability(parseHTML(p.body.toString('utf8')).document).parse()?.textContent ?? '',
};

/** CPU time of this process: the cores are shared, and wall-clock figures would measure the neighbours too. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Row {
  name: string;
  all: CorpusScore;
  tuning: CorpusScore;
  heldOut: CorpusScore;
  pagesPerSec: number;
  mbPerSec: number;
}

function run(name: string, extract: Extractor, pages: Page[]): Row {
  const texts = pages.map(extract);
  const scores = pages.map((p, i) => scorePage(p.truth, texts[i]));
  const subset = (tuning: boolean) =>
    scoreCorpus(scores.filter((_, i) => isTuningPage(pages[i].name) === tuning));
  const bytes = pages.reduce((n, p) => n + p.body.length, 0);
  let rounds = 0;
  const t0 = cpuMs();
  while (rounds < MIN_ROUNDS || cpuMs() - t0 < MIN_CPU_MS) {
    for (const p of pages) extract(p);
    rounds++;
  }
  const seconds = (cpuMs() - t0) / 1000;
  return {
    name,
    all: scoreCorpus(scores),
    tuning: subset(true),
    heldOut: subset(false),
    pagesPerSec: (rounds * pages.length) / seconds,
    mbPerSec: (rounds * bytes) / 1e6 / seconds,
  };
}

/** A real article with a 5 MB comment section appended, as some pages have. */
function hugePage(pages: Page[]): string {
  const base = pages.reduce((a, b) => (b.body.length > a.body.length ? b : a)).body.toString('utf8');
  const comment = (i: number) =>
    `<div class="comment" id="c${i}"><p class="author"><a href="/u/${i}">reader${i}</a></p>` +
    `<p>Comment number ${i} says what many readers think about the story, at some length, with a link to <a href="/x/${i}">another page</a>.</p></div>`;
  const parts: string[] = [];
  let size = base.length;
  for (let i = 0; size < HUGE_PAGE_BYTES; i++) {
    parts.push(comment(i));
    size += parts[parts.length - 1].length;
  }
  return base.replace(/<\/body>/i, `<section class="comments">${parts.join('')}</section></body>`);
}

/** In a child with a capped heap: extracts the page, prints the CPU time, peak RSS in MB and the text length. */
function hugePageChild(file: string): void {
  const html = fs.readFileSync(file);
  const t0 = cpuMs();
  const r = extractArticle(html, {
    url: 'https://example.com/huge',
    contentType: 'text/html; charset=utf-8',
  });
  const ms = cpuMs() - t0;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      ok: r.ok,
      chars: r.ok ? r.value.text.length : 0,
      ms: Math.round(ms),
      maxRssMb: Math.round(maxRssMb),
    }),
  );
}

function measureHugePage(pages: Page[]): { ok: boolean; chars: number; ms: number; maxRssMb: number } {
  const file = path.join(
    fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'extract-bench-')),
    'huge.html',
  );
  fs.writeFileSync(file, hugePage(pages));
  try {
    const child = spawnSync(
      process.execPath,
      [`--max-old-space-size=${HUGE_PAGE_HEAP_MB}`, fileURLToPath(import.meta.url), '--huge', file],
      { encoding: 'utf8' },
    );
    if (child.status !== 0)
      throw new Error(
        `extracting a 5 MB page within a ${HUGE_PAGE_HEAP_MB} MB heap failed: ${child.stderr.slice(-500)}`,
      );
    return JSON.parse(child.stdout.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

function main(): void {
  const pages = loadPages();
  const rows = Object.entries(EXTRACTORS).map(([name, fn]) => run(name, fn, pages));
  console.log(
    `${pages.length} pages (${pages.filter((p) => isTuningPage(p.name)).length} tuning, the rest held out)`,
  );
  console.log(
    'extractor               F1 all  P all   R all   F1 tuning  F1 held-out  P held-out  R held-out  pages/s  MB/s',
  );
  for (const r of rows) {
    console.log(
      [
        r.name.padEnd(22),
        r.all.f1.toFixed(3).padStart(7),
        r.all.precision.toFixed(3).padStart(6),
        r.all.recall.toFixed(3).padStart(7),
        r.tuning.f1.toFixed(3).padStart(10),
        r.heldOut.f1.toFixed(3).padStart(12),
        r.heldOut.precision.toFixed(3).padStart(11),
        r.heldOut.recall.toFixed(3).padStart(11),
        r.pagesPerSec.toFixed(1).padStart(8),
        r.mbPerSec.toFixed(2).padStart(5),
      ].join(' '),
    );
  }
  const huge = measureHugePage(pages);
  console.log(
    `5 MB page: ${huge.ms} CPU ms, peak RSS ${huge.maxRssMb} MB with the heap capped at ${HUGE_PAGE_HEAP_MB} MB, ${huge.chars} characters of article`,
  );
  const [mine, jsdom, linkedom] = rows;
  console.log(
    JSON.stringify({
      bench: 'extract',
      pages: pages.length,
      pagesPerSec: round(mine.pagesPerSec, 1),
      mbPerSec: round(mine.mbPerSec, 2),
      baselinePagesPerSec: round(jsdom.pagesPerSec, 1),
      linkedomBaselinePagesPerSec: round(linkedom.pagesPerSec, 1),
      f1: round(mine.all.f1),
      precision: round(mine.all.precision),
      recall: round(mine.all.recall),
      tuningF1: round(mine.tuning.f1),
      heldOutF1: round(mine.heldOut.f1),
      heldOutPrecision: round(mine.heldOut.precision),
      heldOutRecall: round(mine.heldOut.recall),
      baselineF1: round(jsdom.all.f1),
      hugePageCpuMs: huge.ms,
      hugePageMaxRssMb: huge.maxRssMb,
      hugePageHeapCapMb: HUGE_PAGE_HEAP_MB,
    }),
  );
}

if (process.argv[2] === '--huge') hugePageChild(process.argv[3]);
else main();
