/** What a test started, stopped at its end in order: service processes first, then servers and clients. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startRedis, type TestRedis } from './redis-server.js';
import type { ServiceProcess } from './service.js';

export class Teardown {
  readonly services: ServiceProcess[] = [];
  private closers: (() => Promise<unknown>)[] = [];

  service(...started: ServiceProcess[]): void {
    this.services.push(...started);
  }

  close(...closers: (() => Promise<unknown>)[]): void {
    this.closers.push(...closers);
  }

  async run(): Promise<void> {
    await Promise.all(this.services.splice(0).map((s) => s.stop()));
    await Promise.all(this.closers.splice(0).map((c) => c()));
  }
}

/** Tests were pointed at a Redis of the user's (MEDIAWATCH_TEST_REDIS_URL): it cannot be stopped. */
export const externalRedis = Boolean(process.env.MEDIAWATCH_TEST_REDIS_URL);

/**
 * The usual frame of an end-to-end test file: one private Redis for the file, and after each test
 * its services and servers stopped and Redis emptied. Fault tests that stop or restart Redis ask
 * for `ownServer` and skip themselves (`it.skipIf(externalRedis)`) when they cannot have one.
 */
export function endToEnd(opts: { aof?: boolean; ownServer?: boolean } = {}): {
  redis: () => TestRedis;
  teardown: Teardown;
} {
  let redis: TestRedis | undefined;
  const teardown = new Teardown();
  beforeAll(async () => {
    if (!(opts.ownServer && externalRedis)) redis = await startRedis({ aof: opts.aof });
  });
  afterEach(async () => {
    await teardown.run();
    await redis?.client().flushall();
  });
  afterAll(() => redis?.stop());
  return { redis: () => redis!, teardown };
}
