/**
 * Politeness per host: at most `concurrency` requests in flight and at least `gapMs` between
 * request starts. Each host has its own queue, so a slow host only delays its own feeds.
 */
export interface HostLimiter {
  /**
   * Resolves when a request to `host` may start; call the returned function when it ends.
   * `minGapMs` widens the host's gap (a robots.txt Crawl-delay) for as long as the host is known.
   */
  acquire(host: string, minGapMs?: number): Promise<() => void>;
  /** How long a request to `host` queued now would wait, roughly: its queue times the host's gap. */
  backlogMs(host: string): number;
  /** How many requests to `host` wait for their turn. */
  waiting(host: string): number;
}

interface HostQueue {
  active: number;
  lastStart: number;
  gapMs: number;
  started: boolean;
  waiting: (() => void)[];
  timer?: NodeJS.Timeout;
}

/** Pacing is about real elapsed time, so it reads the monotonic clock rather than the injected one. */
const monotonic = () => performance.now();

export function createHostLimiter(opts: { concurrency: number; gapMs: number }): HostLimiter {
  const hosts = new Map<string, HostQueue>();

  const pump = (host: string, q: HostQueue) => {
    if (q.timer) return;
    while (q.waiting.length > 0 && q.active < opts.concurrency) {
      const wait = q.lastStart + q.gapMs - monotonic();
      if (wait > 0 && q.started) {
        q.timer = setTimeout(() => {
          q.timer = undefined;
          pump(host, q);
        }, wait);
        return;
      }
      q.active++;
      q.started = true;
      q.lastStart = monotonic();
      q.waiting.shift()!();
    }
    if (q.active === 0 && q.waiting.length === 0 && monotonic() - q.lastStart >= q.gapMs) hosts.delete(host);
  };

  return {
    acquire(host, minGapMs = 0) {
      let q = hosts.get(host);
      if (!q) {
        q = { active: 0, lastStart: 0, gapMs: opts.gapMs, started: false, waiting: [] };
        hosts.set(host, q);
      }
      q.gapMs = Math.max(q.gapMs, minGapMs);
      const queue = q;
      return new Promise((resolve) => {
        queue.waiting.push(() => {
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            queue.active--;
            pump(host, queue);
          });
        });
        pump(host, queue);
      });
    },
    backlogMs(host) {
      const q = hosts.get(host);
      return q ? Math.ceil(q.waiting.length / opts.concurrency) * q.gapMs : 0;
    },
    waiting: (host) => hosts.get(host)?.waiting.length ?? 0,
  };
}
