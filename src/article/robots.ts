/**
 * robots.txt (RFC 9309) per origin: read once, kept in Redis for a day so every process shares
 * it, and parsed by robots-parser (Allow/Disallow, the longest match wins, and Crawl-delay).
 * What the RFC says about a missing file holds: 4xx allows everything; 5xx or no answer at all
 * disallows everything (for an hour, then we ask again).
 */
import type { Redis } from 'ioredis';
import robotsParserModule from 'robots-parser';
import type { HttpClient } from '../net/http-client.js';

/** The product token our groups are looked up by (RFC 9309, 2.2.1). */
/** The package is CommonJS: under Node's ESM its default import is the function itself. */
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

export const ROBOTS_TOKEN = 'mediawatch';

const DAY_S = 86_400;
/** An unreachable robots.txt disallows all; asked again after this long. */
const UNREACHABLE_S = 3_600;
/** RFC 9309 asks crawlers to parse at least 500 KiB. */
const ROBOTS_MAX_BYTES = 512 * 1024;
/** Parsed rules are kept in the process this long, so a burst of pages reads Redis once. */
const MEMO_MS = 60_000;

export interface RobotsVerdict {
  allowed: boolean;
  /** The Crawl-delay for our group, in ms, when there is one. */
  crawlDelayMs?: number;
}

export interface RobotsStore {
  check(url: string): Promise<RobotsVerdict>;
}

export interface RobotsStoreOptions {
  redis: Redis;
  prefix: string;
  http: HttpClient;
  /** The page timeout (fullText.timeout), read on each request. */
  timeoutMs(): number;
  /** Takes a slot of the host's politeness limiter for the robots.txt request. */
  acquire(host: string): Promise<() => void>;
  now(): number;
}

/** What is cached per origin: the file's text, or what to do without one. */
type Cached = { kind: 'rules'; text: string } | { kind: 'allow-all' } | { kind: 'disallow-all' };

export const robotsKey = (prefix: string, origin: string) => `${prefix}:robots:${origin}`;

export function createRobotsStore(opts: RobotsStoreOptions): RobotsStore {
  // Per origin, the rules being read or read lately: pages read side by side ask for robots.txt once.
  const memo = new Map<string, { at: number; verdictOf: Promise<(url: string) => RobotsVerdict> }>();

  async function load(origin: string): Promise<Cached> {
    const key = robotsKey(opts.prefix, origin);
    const stored = await opts.redis.get(key);
    if (stored !== null) return JSON.parse(stored) as Cached;
    const fetched = await fetchRobots(origin);
    await opts.redis.set(
      key,
      JSON.stringify(fetched),
      'EX',
      fetched.kind === 'disallow-all' ? UNREACHABLE_S : DAY_S,
    );
    return fetched;
  }

  async function fetchRobots(origin: string): Promise<Cached> {
    const release = await opts.acquire(new URL(origin).host);
    try {
      const r = await opts.http.request(`${origin}/robots.txt`, {
        headers: { accept: 'text/plain' },
        connectTimeoutMs: opts.timeoutMs(),
        totalTimeoutMs: opts.timeoutMs(),
        maxBytes: ROBOTS_MAX_BYTES,
        maxRedirects: 5,
      });
      if (!r.ok) return r.error.code === 'too-large' ? { kind: 'allow-all' } : { kind: 'disallow-all' };
      const { status, body } = r.value;
      if (status >= 200 && status < 300) return { kind: 'rules', text: body.toString('utf8') };
      return status >= 400 && status < 500 ? { kind: 'allow-all' } : { kind: 'disallow-all' };
    } finally {
      release();
    }
  }

  function judge(origin: string, cached: Cached): (url: string) => RobotsVerdict {
    if (cached.kind !== 'rules') return () => ({ allowed: cached.kind === 'allow-all' });
    const robot = robotsParser(`${origin}/robots.txt`, cached.text);
    const delay = robot.getCrawlDelay(ROBOTS_TOKEN);
    const crawlDelayMs = typeof delay === 'number' && delay > 0 ? delay * 1000 : undefined;
    return (url) => ({
      allowed: robot.isAllowed(url, ROBOTS_TOKEN) !== false,
      ...(crawlDelayMs ? { crawlDelayMs } : {}),
    });
  }

  return {
    async check(url) {
      const { origin } = new URL(url);
      let entry = memo.get(origin);
      if (!entry || opts.now() - entry.at >= MEMO_MS) {
        entry = { at: opts.now(), verdictOf: load(origin).then((cached) => judge(origin, cached)) };
        memo.set(origin, entry);
        // A failed read (Redis down) is not remembered: the next page asks again.
        const failed = entry;
        entry.verdictOf.catch(() => memo.get(origin) === failed && memo.delete(origin));
      }
      return (await entry.verdictOf)(url);
    },
  };
}
