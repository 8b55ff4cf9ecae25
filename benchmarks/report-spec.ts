/**
 * How `npm run bench:report` presents each benchmark's results: optional. A result line with no
 * view here is still shown, its fields as columns under their JSON names; a view only names the
 * table, labels and orders its columns, says which are baselines, states the goal, and may sum its
 * rows up in one line for the README's performance table. Fields a view does not name are shown
 * after its columns, so nothing a benchmark reports is hidden.
 */
export type Result = Record<string, unknown>;

export interface View {
  /** Result lines that have all these fields use this view (the first that fits). */
  when: string[];
  title: string;
  /** The columns, in order: a field, or a field and its label. */
  columns?: (string | [field: string, label: string])[];
  /** Which columns are baselines measured in the same run. */
  baseline?: string;
  goal?: {
    text: string;
    /** Whether a row meets the goal; undefined when the goal is not about that row. */
    met?: (r: Result) => boolean | undefined;
  };
  /** The table's rows in one line, for the README; a view without one stays out of it. */
  summary?: (rows: Result[]) => string;
}

const num = (r: Result, field: string) => Number(r[field]);
const fmt = (n: number) => n.toLocaleString('en');
/** The first row whose fields have these values. */
const row = (rows: Result[], where: Result) =>
  rows.find((r) => Object.entries(where).every(([k, v]) => r[k] === v)) ?? {};

/** Views by the `bench` field of the result lines. */
export const VIEWS: Record<string, View[]> = {
  fetch: [
    {
      when: ['feedsPerSec'],
      title: 'Polling 2,000 feeds on loopback, 90 % answering 304',
      columns: [
        ['feeds', 'feeds'],
        ['feedsPerSec', 'feeds/s, kept-alive connections'],
        ['cpuMsPerFeed', 'CPU ms a feed'],
        ['freshConnectionFeedsPerSec', 'feeds/s, a fresh connection per poll'],
        ['freshConnectionCpuMsPerFeed', 'CPU ms a feed, fresh'],
      ],
      baseline: 'a fresh connection per poll',
      summary: ([r]) =>
        `${fmt(num(r, 'feedsPerSec'))} feeds/s (a fresh connection per poll: ${fmt(num(r, 'freshConnectionFeedsPerSec'))})`,
    },
  ],
  parse: [
    {
      when: ['mbps'],
      title: 'Decode + parse + normalize of the feed corpus',
      columns: [
        ['mbps', 'MB/s'],
        ['rssParserMbps', 'rss-parser parseString alone, MB/s'],
      ],
      baseline: 'rss-parser parseString on the same bytes',
      summary: ([r]) => `${num(r, 'mbps')} MB/s (rss-parser alone: ${num(r, 'rssParserMbps')})`,
    },
  ],
  match: [
    {
      when: ['watchKind', 'mbps'],
      title: 'Names and inflected topics: 10,000 watches of one kind, MB/s of CPU time',
      columns: [
        ['watchKind', 'every watch'],
        ['watches', 'watches'],
        ['mbps', 'engine, with normalization'],
        ['compileMs', 'compile ms'],
        ['heapMb', 'heap MB'],
        ['matchesPerItem', 'watches matched an item'],
      ],
      goal: {
        text: '≥ 40 MB/s with 10,000 `names` watches',
        met: (r) => (r.watchKind === 'names' ? num(r, 'mbps') >= 40 : undefined),
      },
    },
    {
      when: ['measure', 'usPerItem'],
      title: 'Language detection, µs of CPU time',
      columns: [
        ['usPerItem', 'an item (title + summary + content)'],
        ['usPerTitle', 'a title'],
      ],
    },
    {
      when: ['watches', 'mbps'],
      title: 'Matching a generated news-like corpus, MB/s of CPU time',
      columns: [
        ['watches', 'watches'],
        ['patterns', 'patterns'],
        ['mbps', 'engine, with normalization'],
        ['scanMbps', 'engine scan on folded text'],
        ['normalizeMbps', 'normalization alone'],
        ['alternationMbps', 'one alternation RegExp'],
        ['naiveMbps', 'one RegExp per term'],
        ['compileMs', 'compile ms'],
        ['heapMb', 'heap MB'],
        ['matchesPerItem', 'watches matched an item'],
      ],
      baseline:
        'one alternation RegExp; one RegExp per term (both timed on a slice of the corpus, `…SliceMb`)',
      goal: {
        text:
          '≥ 40 MB/s, compile < 1 s and < 100 MB heap at 10,000 watches; ' +
          '≥ 30 MB/s, compile ≤ 2 s and ≤ 150 MB heap at 100,000',
        met: (r) => {
          const [mbps, compileMs, heapMb] = [num(r, 'mbps'), num(r, 'compileMs'), num(r, 'heapMb')];
          if (num(r, 'watches') === 10_000) return mbps >= 40 && compileMs < 1_000 && heapMb < 100;
          if (num(r, 'watches') === 100_000) return mbps >= 30 && compileMs <= 2_000 && heapMb <= 150;
          return undefined;
        },
      },
      summary: (rows) =>
        [10_000, 100_000]
          .map((watches) => {
            const r = row(rows, { watches });
            return (
              `${fmt(watches)} watches: ${num(r, 'mbps')} MB/s (one alternation RegExp: ` +
              `${num(r, 'alternationMbps')}), compiled in ${fmt(num(r, 'compileMs'))} ms, ${num(r, 'heapMb')} MB`
            );
          })
          .join('; '),
    },
  ],
  pipeline: [
    {
      when: ['itemsPerSec', 'fullText'],
      title: "Throughput reading every item's page first (fullText: always), once warm",
      columns: [
        ['workers', 'worker processes'],
        ['matchRate', 'share mentioning a watch'],
        ['itemsPerSec', 'items/s fetched → page read → matched'],
        ['deliveredPerSec', 'items/s → all delivered'],
        ['cpuUsPerItem', 'CPU µs an item, service + Redis'],
        ['redisCpuUsPerItem', 'of it Redis'],
        ['ceilingJobsPerSec', 'BullMQ no-op ceiling, jobs/s'],
        ['perHostConcurrency', 'per-host requests at once'],
        ['perHostGapMs', 'per-host gap ms'],
      ],
      baseline: 'the run above with as many processes and the same share, its pages not read',
      summary: (rows) => {
        const r = row(rows, { workers: 3 });
        return (
          `${fmt(num(r, 'itemsPerSec'))} items/s with 3 processes, every page read ` +
          `(${fmt(num(r, 'cpuUsPerItem'))} CPU µs an item; one loopback host, ${num(r, 'perHostConcurrency')} requests at once, no gap)`
        );
      },
    },
    {
      when: ['itemsPerSec'],
      title: 'Throughput: fetched → matched, once warm',
      columns: [
        ['workers', 'worker processes'],
        ['matchRate', 'share mentioning a watch'],
        ['itemsPerSec', 'items/s fetched → matched'],
        ['deliveredPerSec', 'items/s → all delivered'],
        ['ceilingJobsPerSec', 'BullMQ no-op ceiling, jobs/s'],
        ['cpuUsPerItem', 'CPU µs an item, service + Redis'],
        ['redisCpuUsPerItem', 'of it Redis'],
      ],
      baseline:
        'the BullMQ no-op ceiling: empty jobs through the same queue and options in as many processes',
      goal: {
        text: '≥ 5,000 items/s with 3 worker processes, a tenth of the items mentioning a watch',
        met: (r) =>
          num(r, 'workers') === 3 && num(r, 'matchRate') < 1 ? num(r, 'itemsPerSec') >= 5_000 : undefined,
      },
      summary: (rows) => {
        const runs = [
          { workers: 1, matchRate: 0.1 },
          { workers: 3, matchRate: 0.1 },
          { workers: 3, matchRate: 1 },
        ];
        const [one, three, all] = runs.map((w) => row(rows, w));
        return (
          `${fmt(num(three, 'itemsPerSec'))} items/s with 3 processes, ${fmt(num(one, 'itemsPerSec'))} with 1 ` +
          `(no-op ceiling ${fmt(num(three, 'ceilingJobsPerSec'))} jobs/s); ` +
          `every item alerted: ${fmt(num(all, 'itemsPerSec'))}`
        );
      },
    },
    {
      when: ['websub', 'p99Ms'],
      title: 'Latency: publish → alert for items a WebSub hub pushes, one service process',
      columns: [
        ['rate', 'items/s'],
        ['p50Ms', 'pushed p50 ms'],
        ['p99Ms', 'pushed p99 ms'],
        ['pollP50Ms', 'polled every second p50 ms'],
        ['pollP99Ms', 'polled p99 ms'],
        ['samples', 'alerts'],
      ],
      baseline: 'the same items in a feed polled every second, in the same service',
    },
    {
      when: ['signal', 'p99Ms'],
      title:
        "Story pickup: from the start of the match of the fifth outlet's item to the signal at the receiver",
      columns: [
        ['samples', 'stories'],
        ['p50Ms', 'p50 ms'],
        ['p99Ms', 'p99 ms'],
      ],
      goal: {
        text: 'the signal arrives < 1 s after the item is matched',
        met: (r) => num(r, 'p99Ms') < 1000,
      },
      summary: ([r]) => `p50 ${num(r, 'p50Ms')} ms, p99 ${num(r, 'p99Ms')} ms`,
    },
    {
      when: ['p99Ms', 'fullText'],
      title: "Latency: fetch → delivery with every item's page read first, 1 worker process",
      columns: [
        ['rate', 'items/s'],
        ['feeds', 'feeds'],
        ['p50Ms', 'p50 ms'],
        ['p99Ms', 'p99 ms'],
        ['perHostConcurrency', 'per-host requests at once'],
        ['perHostGapMs', 'per-host gap ms'],
      ],
      baseline: 'the latency above, from as many feeds, pages not read (at 200 items/s)',
    },
    {
      when: ['p99Ms'],
      title: 'Latency: fetch → delivery, every item alerted, 1 worker process',
      columns: [
        ['rate', 'items/s'],
        ['feeds', 'feeds (20: polls spread over each second; 1: a burst)'],
        ['p50Ms', 'p50 ms'],
        ['p99Ms', 'p99 ms'],
      ],
      baseline: 'the same items as one burst a second from 1 feed',
      goal: {
        text: 'p99 < 50 ms with spread polls',
        met: (r) => (num(r, 'feeds') > 1 ? num(r, 'p99Ms') < 50 : undefined),
      },
      summary: (rows) => {
        const spread = rows.find((r) => num(r, 'feeds') > 1) ?? {};
        const burst = row(rows, { feeds: 1 });
        return (
          `p50 ${num(spread, 'p50Ms')} ms, p99 ${num(spread, 'p99Ms')} ms ` +
          `(one burst a second: p99 ${num(burst, 'p99Ms')} ms)`
        );
      },
    },
    {
      when: ['redisBytesPerAlert'],
      title: 'Redis memory per queued alert',
      columns: [
        ['redisBytesPerAlert', 'bytes an alert'],
        ['alerts', 'alerts queued'],
      ],
      summary: ([r]) => `${fmt(num(r, 'redisBytesPerAlert'))} bytes`,
    },
  ],
  stories: [
    {
      when: ['bytesPerItem'],
      title: 'Seen items and story index at a month of traffic, every item a new story',
      columns: [
        ['items', 'items remembered'],
        ['bytesPerItem', 'bytes an item'],
        ['lookupP99Ms', 'story lookup p99 ms'],
        ['seenP99Ms', 'seen check p99 ms'],
      ],
      baseline: 'the plain seen check',
      goal: {
        text: '≤ 100 bytes an item; a story lookup adds < 1 ms at p99 to the seen check',
        met: (r) => num(r, 'bytesPerItem') <= 100 && num(r, 'lookupP99Ms') - num(r, 'seenP99Ms') < 1,
      },
      summary: ([r]) =>
        `${num(r, 'bytesPerItem')} bytes an item; ` +
        `lookup p99 ${num(r, 'lookupP99Ms')} ms, seen check p99 ${num(r, 'seenP99Ms')} ms`,
    },
  ],
  'stories-quality': [
    {
      when: ['precision'],
      title: 'Same-story decisions on labeled pairs',
      goal: {
        text: 'precision and recall ≥ 0.95',
        met: (r) => num(r, 'precision') >= 0.95 && num(r, 'recall') >= 0.95,
      },
      summary: ([r]) =>
        `precision ${num(r, 'precision').toFixed(3)}, recall ${num(r, 'recall').toFixed(3)} on ${num(r, 'pairs')} pairs`,
    },
  ],
  signals: [
    {
      when: ['precision', 'ringBytesPerWatch'],
      title:
        'Mention spikes: a generated year of hourly counts with injected spikes, through the real stores',
      columns: [
        ['watches', 'watches'],
        ['spikes', 'injected spikes'],
        ['precision', 'precision of starts'],
        ['recall', 'recall of starts'],
        ['baselinePrecision', 'peak detector precision'],
        ['baselineRecall', 'peak detector recall'],
        ['ringBytesPerWatch', 'Redis bytes a watch (9 weeks of hours)'],
        ['yearBytesPerWatch', 'bytes a year of hours would take'],
      ],
      baseline: 'a peak detector (3× the mean of the last 24 hours)',
      goal: {
        text: 'precision and recall of spike starts ≥ 0.9',
        met: (r) => num(r, 'precision') >= 0.9 && num(r, 'recall') >= 0.9,
      },
      summary: ([r]) =>
        `precision ${num(r, 'precision').toFixed(3)}, recall ${num(r, 'recall').toFixed(3)} ` +
        `(peak detector: ${num(r, 'baselinePrecision').toFixed(3)}, ${num(r, 'baselineRecall').toFixed(3)}); ` +
        `${fmt(num(r, 'ringBytesPerWatch'))} bytes a watch`,
    },
  ],
  'signals-pickup': [
    {
      when: ['p99Ms'],
      title:
        "Story pickup: from the start of the fifth outlet's items job to its signal in the deliver queue",
      columns: [
        ['stories', 'stories'],
        ['p50Ms', 'p50 ms'],
        ['p99Ms', 'p99 ms'],
      ],
      goal: {
        text: 'the signal is queued < 1 s after the item is matched',
        met: (r) => num(r, 'p99Ms') < 1000,
      },
    },
  ],
  extract: [
    {
      when: ['pagesPerSec', 'f1'],
      title: 'Article extraction on the 60 pages with human-marked bodies',
      columns: [
        ['pages', 'pages'],
        ['pagesPerSec', 'pages/s'],
        ['mbPerSec', 'MB/s'],
        ['baselinePagesPerSec', 'Readability + jsdom, pages/s'],
        ['linkedomBaselinePagesPerSec', 'Readability + linkedom, pages/s'],
        ['heldOutF1', 'F1, pages not tuned on'],
        ['heldOutPrecision', 'precision, not tuned on'],
        ['heldOutRecall', 'recall, not tuned on'],
        ['f1', 'F1, all pages'],
        ['baselineF1', 'Readability + jsdom F1'],
        ['hugePageMaxRssMb', 'peak RSS MB on a 5 MB page'],
      ],
      baseline: 'Readability + jsdom and Readability + linkedom on the same pages',
      goal: {
        text: 'on pages not tuned on: F1 ≥ 0.96, precision ≥ 0.95, recall ≥ 0.97; ≥ 4× the pages/s of Readability + jsdom',
        met: (r) =>
          num(r, 'heldOutF1') >= 0.96 &&
          num(r, 'heldOutPrecision') >= 0.95 &&
          num(r, 'heldOutRecall') >= 0.97 &&
          num(r, 'pagesPerSec') >= 4 * num(r, 'baselinePagesPerSec'),
      },
      summary: ([r]) =>
        `F1 ${num(r, 'heldOutF1').toFixed(3)} (precision ${num(r, 'heldOutPrecision').toFixed(3)}, ` +
        `recall ${num(r, 'heldOutRecall').toFixed(3)}) on pages not tuned on; ` +
        `${num(r, 'pagesPerSec')} pages/s (Readability + jsdom: ${num(r, 'baselinePagesPerSec')})`,
    },
  ],
  soak: [
    {
      when: ['rssSlopePct'],
      title: 'Soak: steady load with short retentions, every store wrapping several times',
      columns: [
        ['minutes', 'minutes'],
        ['items', 'items'],
        ['webhooks', 'alerts delivered'],
        ['missing', 'missing'],
        ['duplicates', 'twice'],
        ['failedJobs', 'failed jobs'],
        ['rssMB', 'RSS MB'],
        ['rssSlopePct', 'RSS % per 10 min'],
        ['heapMB', 'heap MB'],
        ['heapSlopePct', 'heap % per 10 min'],
        ['redisWithoutKeptDeliverSlopePct', 'Redis % per 10 min, kept deliver jobs aside'],
      ],
      goal: {
        text: 'flat memory (within the noise after warm-up), no failed job, every alert delivered once',
        met: (r) => r.ok === true,
      },
      summary: ([r]) =>
        `${num(r, 'minutes')} min: RSS ${num(r, 'rssSlopePct')} %, heap ${num(r, 'heapSlopePct')} %, ` +
        `Redis ${num(r, 'redisWithoutKeptDeliverSlopePct')} % per 10 min; ` +
        `${fmt(num(r, 'webhooks'))} alerts, ${num(r, 'missing')} missing, ${num(r, 'duplicates')} twice`,
    },
  ],
};
