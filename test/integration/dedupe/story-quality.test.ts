/**
 * The same-story decision a user sees, measured where it is made: every labeled pair goes through the
 * story store on a real Redis, as one outlet's item and, an hour later, another's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { loadStoryPairs, scoreStoryPairs, type StoryPair } from '../../helpers/story-pairs.js';

const pairs = loadStoryPairs();
let server: TestRedis;
let redis: Redis;
let runs = 0;
const score = (subset: StoryPair[]) => scoreStoryPairs(redis, subset, `run${++runs}`);
const ofKind = (kind: string) => pairs.filter((p) => p.kind === kind);
const fromOutlets = pairs.filter((p) => p.kind.startsWith('outlets:'));
const generated = pairs.filter((p) => !p.kind.startsWith('outlets:'));

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
});
afterAll(() => server.stop());

describe('same-story decision of the story store on the labeled pairs', () => {
  it("uses a labeled set of at least 300 pairs with both labels, 60 of them written from outlets' copies", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(300);
    expect(pairs.filter((p) => p.label === 'same').length).toBeGreaterThanOrEqual(150);
    expect(pairs.filter((p) => p.label === 'different').length).toBeGreaterThanOrEqual(120);
    expect(pairs.filter((p) => p.kind.startsWith('outlets:')).length).toBeGreaterThanOrEqual(60);
  });

  it('finds generated copies of one story with precision and recall of at least 0.95', async () => {
    const { precision, recall, wrong } = await score(generated);
    expect(precision, `decided wrongly: ${wrong.join(', ')}`).toBeGreaterThanOrEqual(0.95);
    expect(recall, `decided wrongly: ${wrong.join(', ')}`).toBeGreaterThanOrEqual(0.95);
  });

  it("never joins an outlet's version of a story to another event or a later follow-up", async () => {
    expect((await score(fromOutlets.filter((p) => p.label === 'different'))).wrong).toEqual([]);
  });

  it("joins every two outlets' full versions of one story", async () => {
    expect((await score(ofKind('outlets: full versions of one story'))).wrong).toEqual([]);
  });

  it("joins an outlet's one-sentence brief to the full story", async () => {
    const { recall, wrong } = await score(ofKind('outlets: brief and full version'));
    expect(recall, `missed: ${wrong.join(', ')}`).toBeGreaterThanOrEqual(0.95);
  });

  it('never merges two different stories on the same topic and day', async () => {
    expect((await score(ofKind('same topic, same day'))).wrong).toEqual([]);
  });

  it('always joins an edited version to its original', async () => {
    expect((await score(ofKind('updated version'))).wrong).toEqual([]);
  });
});
